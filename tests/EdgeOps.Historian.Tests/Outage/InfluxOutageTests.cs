using EdgeOps.Historian.Tests.Support;
using EdgeOps.TestSupport;
using EdgeOps.TestSupport.Influx;
using EdgeOps.TestSupport.Mosquitto;

namespace EdgeOps.Historian.Tests.Outage;

/// <summary>Own servers, so it runs in parallel with the other outage test.</summary>
public sealed class InfluxOutageTests
{
    [Fact]
    public async Task InfluxDown30s_WhileTheLinePublishes_EveryPointArrivesOnce_WithItsOwnValue()
    {
        await using var influxd = new InfluxV1Server();
        await influxd.StartAsync();
        await influxd.CreateDatabaseAsync("edgeops");
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions { MaxInflightMessages = 0 });
        using var dir = new TempDirectory();
        await using var historian = await HistorianRunner.StartAsync(
            HistorianConfig.V1(broker.Port, influxd.Url, "edgeops", dir.Path, "hist-outage"));
        await using var line = await LinePublisher.ConnectAsync(broker.Port, "press-outage");
        var t0 = new DateTimeOffset(2026, 11, 26, 6, 0, 0, TimeSpan.Zero);

        var publishing = OutageScenario.PublishForAsync(line, TimeSpan.FromSeconds(40), t0);
        await Task.Delay(TimeSpan.FromSeconds(5));
        await influxd.StopAsync();
        await Task.Delay(TimeSpan.FromSeconds(30));
        var spilledDuringOutage = historian.Ingest.Spilled;
        await influxd.StartAsync();
        var events = await publishing;

        await OutageScenario.AssertEveryPointOnceAsync(influxd, "edgeops", line, events);
        Assert.True(spilledDuringOutage > 0, "nothing went to the durable buffer during the outage");
        Assert.Equal(0, historian.Ingest.DeadLettered);
    }
}
