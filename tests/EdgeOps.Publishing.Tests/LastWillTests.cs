using EdgeOps.Publishing.Tests.Support;
using EdgeOps.TestSupport.Mosquitto;

namespace EdgeOps.Publishing.Tests;

[Collection("lastwill")]
public sealed class LastWillTests : IAsyncLifetime
{
    private MosquittoBroker _broker = null!;

    public async Task InitializeAsync() => _broker = await MosquittoBroker.StartAsync();

    public async Task DisposeAsync() => await _broker.DisposeAsync();

    [Fact]
    public async Task GatewayKilled_StatusReadsOfflineForSubscribers()
    {
        var status = "edgeops/v1/plant1/_gateways/gw-will/status";
        await using var subscriber = await TestSubscriber.StartAsync(_broker.Host, _broker.Port, status);
        var data = Directory.CreateTempSubdirectory("edgeops-will-").FullName;
        using var gateway = GatewayProcess.StartSelftest($"mqtt://127.0.0.1:{_broker.Port}", "gw-will", "plant1", data, rate: 5);
        var online = await subscriber.WaitForAsync(r => r.Json.GetProperty("state").GetString() == "online", TimeSpan.FromSeconds(30), "online");

        gateway.Kill();

        var offline = await subscriber.WaitForAsync(r => r.Json.GetProperty("state").GetString() == "offline", TimeSpan.FromSeconds(30), "offline");
        Assert.True(offline.Retain || offline.Seq > online.Seq);
        Assert.Equal(online.Seq + 1, offline.Seq);

        // A subscriber arriving later reads the retained offline too.
        await using var late = await TestSubscriber.StartAsync(_broker.Host, _broker.Port, status);
        var retained = await late.WaitForAsync(_ => true, TimeSpan.FromSeconds(5), "retained status");
        Assert.Equal("offline", retained.Json.GetProperty("state").GetString());
        Assert.True(retained.Retain);
    }
}
