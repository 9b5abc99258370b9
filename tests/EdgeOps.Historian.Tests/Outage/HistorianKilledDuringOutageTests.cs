using EdgeOps.Historian.Tests.Support;
using EdgeOps.TestSupport;
using EdgeOps.TestSupport.Influx;
using EdgeOps.TestSupport.Mosquitto;

namespace EdgeOps.Historian.Tests.Outage;

/// <summary>The real executable, SIGKILLed while InfluxDB is down, restarted with the same data directory and client id.</summary>
public sealed class HistorianKilledDuringOutageTests
{
    [Fact]
    public async Task HistorianKilledWhileInfluxIsDown_EveryPointArrivesOnce_FromTheBufferAndTheBrokerSession()
    {
        await using var influxd = new InfluxV1Server();
        await influxd.StartAsync();
        await influxd.CreateDatabaseAsync("edgeops");
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions { MaxInflightMessages = 0 });
        using var dir = new TempDirectory();
        var config = HistorianConfig.V1(broker.Port, influxd.Url, "edgeops", Path.Combine(dir.Path, "data"), "hist-killed");
        config["Logging:LogLevel:EdgeOps.Influx"] = "Information";
        var first = await HistorianProcess.StartAsync(config, dir.Path);
        await using var line = await LinePublisher.ConnectAsync(broker.Port, "press-killed");
        var t0 = new DateTimeOffset(2026, 11, 26, 6, 0, 0, TimeSpan.Zero);

        var publishing = OutageScenario.PublishForAsync(line, TimeSpan.FromSeconds(40), t0);
        await Task.Delay(TimeSpan.FromSeconds(5));
        await influxd.StopAsync();
        await Task.Delay(TimeSpan.FromSeconds(8));
        var firstOutput = first.Output;
        first.Kill();
        first.Dispose();
        await Task.Delay(TimeSpan.FromSeconds(7));
        using var second = await HistorianProcess.StartAsync(config, dir.Path);
        await Task.Delay(TimeSpan.FromSeconds(15));
        await influxd.StartAsync();
        var events = await publishing;

        await OutageScenario.AssertEveryPointOnceAsync(influxd, "edgeops", line, events);
        Assert.Contains("to the durable buffer", firstOutput, StringComparison.Ordinal);
        Assert.Contains("Durable buffer drained", second.Output, StringComparison.Ordinal);
    }
}
