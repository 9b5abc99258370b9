using EdgeOps.OpcUa.Subscriptions;
using EdgeOps.OpcUa.Types;
using EdgeOps.TestSupport.OpcUa;
using static EdgeOps.OpcUa.Tests.Client.ClientTestHelpers;

namespace EdgeOps.OpcUa.Tests.Subscriptions;

public sealed class CounterSubscriptionTests(OpcUaServerFixture fixture) : IClassFixture<OpcUaServerFixture>
{
    [Fact]
    public async Task Subscription_CountersChangingEvery100ms_DeliversEveryChangeInOrderForTheSoakDuration()
    {
        var server = fixture.Server;
        await using var client = await ConnectAsync(server);
        var ns = (ushort)client.NamespaceIndex(server.NamespaceUri);
        var subscription = await client.CreateSubscriptionAsync(new SubscriptionOptions { PublishingInterval = TimeSpan.FromMilliseconds(250) });
        await using var recorder = new ValueRecorder(subscription);
        var results = await subscription.AddItemsAsync([.. Enumerable.Range(0, 10).Select(i => new MonitoredItemRequest
        {
            ClientHandle = (uint)i,
            NodeId = NodeId.FromString($"Counter.{i}", ns),
            SamplingInterval = TimeSpan.Zero, // exception-based: the server reports every change
            QueueSize = 20,
        })]);
        Assert.All(results, r => Assert.True(r.Status.IsGood, r.Status.ToString()));

        await Task.Delay(Soak.Duration);

        for (uint h = 0; h < 10; h++)
        {
            var values = recorder.Of(h);
            Assert.Null(ValueRecorder.CheckConsecutive(values));
            await ValueRecorder.AssertCaughtUpAsync(client, NodeId.FromString($"Counter.{h}", ns), values, Soak.Duration);
        }

        Assert.Equal(0, subscription.MessagesLost);
        Assert.Equal(0, client.Reconnects);
    }

    [Fact]
    public async Task Subscription_AfterConnectionLoss_ReactivatesTheSessionAndLosesNoChange()
    {
        var server = fixture.Server;
        await using var client = await ConnectAsync(server);
        var ns = (ushort)client.NamespaceIndex(server.NamespaceUri);
        var subscription = await client.CreateSubscriptionAsync(new SubscriptionOptions { PublishingInterval = TimeSpan.FromMilliseconds(200) });
        await using var recorder = new ValueRecorder(subscription);
        await subscription.AddItemsAsync([new MonitoredItemRequest { ClientHandle = 1, NodeId = NodeId.FromString("Counter.3", ns), SamplingInterval = TimeSpan.Zero, QueueSize = 100 }]);
        await Task.Delay(1500);
        var sessionBefore = client.SessionId;

        client.SimulateConnectionLoss();
        await Task.Delay(4000);

        Assert.Equal(1, client.Reconnects);
        Assert.Equal(sessionBefore, client.SessionId); // same session, reactivated on a new channel
        Assert.Equal(1, client.SessionsCreated);
        var values = recorder.Of(1);
        Assert.True(values.Count > 40, $"{values.Count} values");

        // No change lost (republished from the server's retransmission queue). After a reactivation the server may
        // send an item's current value once more: harmless for a totalizer (delta 0), so equal steps are allowed.
        for (var i = 1; i < values.Count; i++)
        {
            var step = values[i].Value - values[i - 1].Value;
            Assert.True(step is 0 or 1, $"value {values[i].Value} after {values[i - 1].Value} at index {i}");
        }
    }
}
