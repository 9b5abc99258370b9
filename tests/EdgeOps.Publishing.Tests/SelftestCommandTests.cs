using EdgeOps.Contract;
using EdgeOps.Publishing.Mqtt;
using EdgeOps.Publishing.Tests.Support;
using EdgeOps.TestSupport.Mosquitto;
using EdgeOps.TestSupport.Mqtt;

namespace EdgeOps.Publishing.Tests;

/// <summary><c>edgeops mqtt selftest --count N</c> (the commissioning stream) as a process against a real Mosquitto.</summary>
[Collection("selftest")]
public sealed class SelftestCommandTests : IAsyncLifetime
{
    private readonly string _data = Directory.CreateTempSubdirectory("edgeops-selftest-").FullName;
    private MosquittoBroker _broker = null!;

    public async Task InitializeAsync() => _broker = await MosquittoBroker.StartAsync();

    public async Task DisposeAsync()
    {
        await _broker.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }

    [Fact]
    public async Task Selftest_Count_PublishesSeqsOneToNAcknowledgedThenExits()
    {
        var events = MqttTopics.Machine("plant1", "selftest", "selftest", "gw-selftest").Events;
        await using var subscriber = await TestSubscriber.StartAsync(_broker.Host, _broker.Port, "edgeops/v1/plant1/#");
        using var selftest = GatewayProcess.StartSelftest($"mqtt://127.0.0.1:{_broker.Port}", "gw-selftest", "plant1", _data, rate: 50, count: 5);

        await selftest.WaitForOutputAsync("selftest: done, 5 events acknowledged", TimeSpan.FromSeconds(60));
        await selftest.WaitForExitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, selftest.ExitCode);
        Assert.Equal(5, GatewayProcess.LastSeq(_data, events));
        await subscriber.WaitForAsync(r => r.Topic == events && r.Seq == 5, TimeSpan.FromSeconds(10), "seq 5");
        SeqCheck.EveryOnceInOrder(subscriber.Received, events, 5, "selftest");
    }
}
