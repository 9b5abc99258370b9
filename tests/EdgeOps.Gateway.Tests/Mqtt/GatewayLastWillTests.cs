using EdgeOps.Contract;
using EdgeOps.Publishing.Mqtt;
using EdgeOps.Publishing.Tests.Support;
using EdgeOps.TestSupport;
using EdgeOps.TestSupport.Mosquitto;
using GatewayHostProcess = EdgeOps.TestSupport.Gateway.GatewayProcess;
using EdgeOps.TestSupport.Mqtt;

namespace EdgeOps.Gateway.Tests.Mqtt;

/// <summary>The real gateway on the simulated demo line, SIGKILLed: the broker publishes its retained offline will.</summary>
[Collection("gateway-lastwill")]
public sealed class GatewayLastWillTests : IAsyncLifetime
{
    private readonly string _data = Directory.CreateTempSubdirectory("edgeops-gw-will-").FullName;
    private MosquittoBroker _broker = null!;

    public async Task InitializeAsync() => _broker = await MosquittoBroker.StartAsync();

    public async Task DisposeAsync()
    {
        await _broker.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }

    [Fact]
    public async Task GatewayKilled_StatusReadsOfflineForSubscribers()
    {
        const string gatewayId = "gw-will";
        var status = MqttTopics.GatewayStatus("plant-leipzig", gatewayId);
        await using var subscriber = await TestSubscriber.StartAsync(_broker.Host, _broker.Port, status);
        using var gateway = await GatewayHostProcess.StartAsync(
        [
            "--config", RepoPaths.File("firmware-config", "lines", "demo-line.yaml"),
            "--data", _data,
            $"--EdgeOps:GatewayId={gatewayId}",
            $"--EdgeOps:Mqtt:Broker=mqtt://127.0.0.1:{_broker.Port}",
            "--EdgeOps:Simulator:Speed=50",
            "--EdgeOps:ConsoleSummaryInterval=00:00:00",
        ], timeout: TimeSpan.FromSeconds(90));
        var online = await subscriber.WaitForAsync(r => r.Json.GetProperty("state").GetString() == "online", TimeSpan.FromSeconds(30), "online");
        Assert.Equal(gatewayId, online.Json.GetProperty("gatewayId").GetString());

        gateway.Kill();

        var offline = await subscriber.WaitForAsync(r => r.Json.GetProperty("state").GetString() == "offline", TimeSpan.FromSeconds(30),
            "offline (the last will)");
        Assert.Equal(online.Seq + 1, offline.Seq);
        Assert.Equal(online.Json.GetProperty("startedAt").GetString(), offline.Json.GetProperty("startedAt").GetString());

        // A subscriber arriving later reads the retained offline.
        await using var late = await TestSubscriber.StartAsync(_broker.Host, _broker.Port, status);
        var retained = await late.WaitForAsync(_ => true, TimeSpan.FromSeconds(10), "retained status");
        Assert.Equal("offline", retained.Json.GetProperty("state").GetString());
        Assert.True(retained.Retain);
    }
}
