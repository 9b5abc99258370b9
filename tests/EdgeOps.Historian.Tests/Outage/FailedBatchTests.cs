using EdgeOps.Historian.Tests.Support;
using EdgeOps.TestSupport;
using EdgeOps.TestSupport.Influx;
using EdgeOps.TestSupport.Mosquitto;
using EdgeOps.TestSupport.Storage;

namespace EdgeOps.Historian.Tests.Outage;

/// <summary>
/// A batch that cannot be stored, dead-lettered nor buffered: the historian's data directory is a 2 MiB tmpfs filled to
/// the last byte, and a malformed message must be dead-lettered there. The batch fails, so its messages stay
/// unacknowledged; the historian drops its connection and the broker redelivers them until the space is back.
/// </summary>
public sealed class FailedBatchTests
{
    [Fact]
    public async Task DeadLetterOnAFullDisk_FailsTheBatch_HistorianReconnectsAndLosesNothingOnceSpaceReturns()
    {
        await using var influxd = new InfluxV1Server();
        await influxd.StartAsync();
        await influxd.CreateDatabaseAsync("edgeops");
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions { MaxInflightMessages = 0 });
        using var disk = SmallDisk.Mount(2L * 1024 * 1024);
        await using var historian = await HistorianRunner.StartAsync(
            HistorianConfig.V1(broker.Port, influxd.Url, "edgeops", disk.Path, "hist-failed-batch"));
        await using var line = await LinePublisher.ConnectAsync(broker.Port, "press-failed-batch");
        var t0 = new DateTimeOffset(2026, 11, 26, 6, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < 10; i++)
        {
            await line.PublishKpiAsync(t0.AddSeconds(i), i);
        }

        await Eventually.HoldsAsync(() => Task.FromResult((historian.Ingest.Acknowledged >= 10, $"acknowledged {historian.Ingest.Acknowledged}")),
            TimeSpan.FromSeconds(30));

        disk.Fill(leaveBytes: 0);
        const string malformed = "{\"schema\":\"edgeops.kpi/1\",\"not json";
        for (var i = 10; i < 20; i++)
        {
            await line.PublishKpiAsync(t0.AddSeconds(i), i);
            if (i == 14)
            {
                await line.PublishRawAsync(line.Topics.Kpi, malformed);
            }
        }

        await Eventually.HoldsAsync(() => Task.FromResult((historian.Service.BatchesFailed >= 1, $"failed batches {historian.Service.BatchesFailed}")),
            TimeSpan.FromSeconds(60));

        disk.Free();

        // Every good point arrives once (same timestamps overwrite), and the malformed message is dead-lettered.
        await Eventually.HoldsAsync(async () =>
        {
            var rows = await influxd.QueryAsync($"SELECT count(oee) FROM kpi WHERE machine = '{line.Machine}'", "edgeops");
            var count = rows.Count == 1 ? rows[0].Value(0, "count").GetInt64() : 0;
            return (count == 20, $"kpi points {count}/20");
        }, TimeSpan.FromSeconds(90));
        var deadLetters = Path.Combine(disk.Path, "dead-letters.jsonl");
        await Eventually.HoldsAsync(() => Task.FromResult((File.Exists(deadLetters) && File.ReadAllText(deadLetters).Contains("not json", StringComparison.Ordinal),
            "the malformed message in dead-letters.jsonl")), TimeSpan.FromSeconds(60));
        Assert.True(historian.Service.IsSubscribed, "the historian did not come back subscribed");
    }
}
