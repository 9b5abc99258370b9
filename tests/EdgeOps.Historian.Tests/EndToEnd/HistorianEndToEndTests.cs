using System.Text.Json;
using EdgeOps.Historian.Tests.Support;
using EdgeOps.TestSupport;

namespace EdgeOps.Historian.Tests.EndToEnd;

[Collection(ServersCollection.Name)]
public sealed class HistorianEndToEndTests(ServersFixture servers)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Historian_V1_WritesEveryContractKind_ReadBackWithInfluxQl_ExactValuesAndPayloadTimestamps()
    {
        var database = await servers.NewDatabaseAsync();
        using var dir = new TempDirectory();
        await using var historian = await HistorianRunner.StartAsync(
            HistorianConfig.V1(servers.Broker.Port, servers.Influxd.Url, database, dir.Path, "hist-" + database));
        await using var line = await LinePublisher.ConnectAsync(servers.Broker.Port, "press-" + database);
        var t0 = new DateTimeOffset(2026, 11, 26, 6, 0, 0, TimeSpan.Zero);

        for (var i = 0; i < 20; i++)
        {
            await line.PublishKpiAsync(t0.AddSeconds(i).AddMilliseconds(7), i);
        }

        await line.PublishStateAsync(t0.AddSeconds(1), "down", "jam");
        await line.PublishCountsAsync(t0.AddSeconds(2), 500);
        await line.PublishConditionAsync(t0.AddSeconds(3), "vibration", 3.25, "B", 0.4);
        await line.PublishEventAsync(t0.AddSeconds(4), "stopEnded", "jam", 42.5);
        await line.PublishEventAsync(t0.AddSeconds(4), "stateChanged", "jam", null);
        await line.PublishShiftAsync(t0.AddSeconds(5), "early", 0);
        await line.PublishStatusAsync(t0.AddSeconds(6), "gw-" + database);

        var where = $"WHERE machine = '{line.Machine}'";
        await Eventually.HoldsAsync(async () =>
        {
            var kpi = await servers.Influxd.QueryAsync($"SELECT count(oee) FROM kpi {where}", database);
            var events = await servers.Influxd.QueryAsync($"SELECT count(durationS) FROM events {where}", database);
            var status = await servers.Influxd.QueryAsync("SELECT count(uptimeS) FROM status", database);
            var ok = kpi.Count == 1 && kpi[0].Value(0, "count").GetInt64() == 20 && events.Count == 1 && status.Count == 1;
            return (ok, $"kpi {kpi.Count}, events {events.Count}, status {status.Count}");
        }, Wait);

        var series = Assert.Single(await servers.Influxd.QueryAsync($"SELECT oee, site, area, line FROM kpi {where}", database));
        Assert.Equal(line.PublishedKpi.Select(k => k.TsMs), series.Rows.Select(r => r[0].GetInt64()));
        Assert.Equal(line.PublishedKpi.Select(k => k.Oee), series.Rows.Select(r => r[1].GetDouble()));
        Assert.Equal("plant1", series.Value(0, "site").GetString());
        Assert.Equal("assembly", series.Value(0, "area").GetString());

        var state = Assert.Single(await servers.Influxd.QueryAsync($"SELECT state, reason FROM state {where}", database));
        Assert.Equal(t0.AddSeconds(1).ToUnixTimeMilliseconds(), state.Value(0, "time").GetInt64());
        Assert.Equal("down", state.Value(0, "state").GetString());
        Assert.Equal("jam", state.Value(0, "reason").GetString());

        var counts = Assert.Single(await servers.Influxd.QueryAsync($"SELECT shift_good, lifetime_total FROM counts {where}", database));
        Assert.Equal(500, counts.Value(0, "shift_good").GetDouble());
        Assert.Equal(100_504, counts.Value(0, "lifetime_total").GetDouble());

        var condition = Assert.Single(await servers.Influxd.QueryAsync($"SELECT rms, zone FROM condition {where} AND signal = 'vibration'", database));
        Assert.Equal(3.25, condition.Value(0, "rms").GetDouble());
        Assert.Equal("B", condition.Value(0, "zone").GetString());

        // Two events in the same millisecond both survive.
        var events = Assert.Single(await servers.Influxd.QueryAsync($"SELECT type FROM events {where}", database));
        Assert.Equal(2, events.Rows.Count);
        Assert.All(events.Rows, r => Assert.Equal(t0.AddSeconds(4).ToUnixTimeMilliseconds(), r[0].GetInt64()));

        var pareto = await servers.Influxd.QueryAsync($"SELECT last(seconds) FROM kpi_byReason {where} GROUP BY reason", database);
        Assert.Equal(["jam", "starved"], pareto.Select(s => s.Tags["reason"]).Order());
    }

    [Fact]
    public async Task Historian_V2_ToVictoriaMetrics_PointsReadBackThroughExport()
    {
        using var dir = new TempDirectory();
        var id = Guid.NewGuid().ToString("N")[..8];
        await using var historian = await HistorianRunner.StartAsync(
            HistorianConfig.V2(servers.Broker.Port, servers.Victoria.Url, dir.Path, "hist-v2-" + id));
        await using var line = await LinePublisher.ConnectAsync(servers.Broker.Port, "press-v2-" + id);
        var t0 = DateTimeOffset.UtcNow.AddMinutes(-5);
        t0 = t0.AddTicks(-(t0.Ticks % TimeSpan.TicksPerMillisecond));

        for (var i = 0; i < 10; i++)
        {
            await line.PublishKpiAsync(t0.AddSeconds(i), i);
        }

        var selector = $"{{__name__=\"kpi_oee\",machine=\"{line.Machine}\"}}";
        await Eventually.HoldsAsync(async () =>
        {
            var exported = await servers.Victoria.ExportAsync(selector);
            return (exported.Count == 1 && exported[0].Values.Count == 10, $"{exported.Count} series, {exported.FirstOrDefault()?.Values.Count} samples");
        }, Wait);

        var series = Assert.Single(await servers.Victoria.ExportAsync(selector));
        Assert.Equal(line.PublishedKpi.Select(k => k.TsMs), series.TimestampsMs);
        Assert.Equal(line.PublishedKpi.Select(k => k.Oee), series.Values);
        Assert.Equal("plant1", series.Labels["site"]);
    }

    [Fact]
    public async Task MalformedPayload_AndUnknownSchemaVersion_GoToDeadLetters_WithReason_AndTheHistorianKeepsWriting()
    {
        var database = await servers.NewDatabaseAsync();
        using var dir = new TempDirectory();
        await using var historian = await HistorianRunner.StartAsync(
            HistorianConfig.V1(servers.Broker.Port, servers.Influxd.Url, database, dir.Path, "hist-" + database));
        await using var line = await LinePublisher.ConnectAsync(servers.Broker.Port, "press-" + database);
        var t0 = new DateTimeOffset(2026, 11, 26, 6, 0, 0, TimeSpan.Zero);

        await line.PublishRawAsync($"{line.Prefix}/kpi", """{"schema":"edgeops.kpi/1","oee": 0.5,""");
        await line.PublishRawAsync($"{line.Prefix}/kpi", """{"schema":"edgeops.kpi/9","seq":1,"ts":"2026-11-26T06:00:00.000Z","oee":0.5}""");
        await line.PublishBytesAsync($"{line.Prefix}/state", [0xff, 0xfe, 0x00]);
        await line.PublishKpiAsync(t0, 1);

        await Eventually.HoldsAsync(async () =>
        {
            var kpi = await servers.Influxd.QueryAsync($"SELECT oee FROM kpi WHERE machine = '{line.Machine}'", database);
            return (kpi.Count == 1, $"{kpi.Count} series");
        }, Wait);

        var deadLetterPath = Path.Combine(dir.Path, "dead-letters.jsonl");
        var dead = (await File.ReadAllLinesAsync(deadLetterPath)).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(3, dead.Count);
        Assert.Contains("not valid JSON", dead[0].GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal($"{line.Prefix}/kpi", dead[0].GetProperty("topic").GetString());
        Assert.Contains("unknown schema version 'edgeops.kpi/9'", dead[1].GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Contains("edgeops.kpi/9", dead[1].GetProperty("payload").GetString(), StringComparison.Ordinal);
        Assert.Equal($"{line.Prefix}/state", dead[2].GetProperty("topic").GetString());
        Assert.True(historian.Service.IsConnected);
    }

    [Fact]
    public async Task TwoHistorians_InASharedSubscription_SplitTheMessages_AndWriteEveryPointOnce()
    {
        var database = await servers.NewDatabaseAsync();
        using var dirA = new TempDirectory();
        using var dirB = new TempDirectory();
        var group = "g" + database;
        var configA = HistorianConfig.V1(servers.Broker.Port, servers.Influxd.Url, database, dirA.Path, "hist-a-" + database);
        var configB = HistorianConfig.V1(servers.Broker.Port, servers.Influxd.Url, database, dirB.Path, "hist-b-" + database);
        configA["Historian:Mqtt:SharedGroup"] = group;
        configB["Historian:Mqtt:SharedGroup"] = group;
        configA["Historian:Mqtt:Topic"] = configB["Historian:Mqtt:Topic"] = $"edgeops/v1/plant1/assembly/line1/press-{database}/#";
        await using var a = await HistorianRunner.StartAsync(configA);
        await using var b = await HistorianRunner.StartAsync(configB);
        await using var line = await LinePublisher.ConnectAsync(servers.Broker.Port, "press-" + database);
        var t0 = new DateTimeOffset(2026, 11, 26, 6, 0, 0, TimeSpan.Zero);

        for (var i = 0; i < 200; i++)
        {
            await line.PublishKpiAsync(t0.AddSeconds(i), i);
        }

        await Eventually.HoldsAsync(async () =>
        {
            var kpi = await servers.Influxd.QueryAsync($"SELECT count(oee) FROM kpi WHERE machine = '{line.Machine}'", database);
            var n = kpi.Count == 1 ? kpi[0].Value(0, "count").GetInt64() : 0;
            return (n == 200, $"{n} points");
        }, Wait);

        Assert.True(a.Service.Received > 0, "historian A received nothing");
        Assert.True(b.Service.Received > 0, "historian B received nothing");
        Assert.Equal(200, a.Service.Received + b.Service.Received);
    }
}
