using EdgeOps.OpcUa.Client;
using EdgeOps.OpcUa.Subscriptions;
using EdgeOps.OpcUa.Types;
using EdgeOps.TestSupport.OpcUa;
using static EdgeOps.OpcUa.Tests.Client.ClientTestHelpers;

namespace EdgeOps.OpcUa.Tests.Subscriptions;

public sealed class ShortTokenServerFixture() : OpcUaServerFixture(new OpcUaTestServerOptions { TokenLifetime = TimeSpan.FromMilliseconds(2500) });

public sealed class TokenRenewalTests(ShortTokenServerFixture fixture) : IClassFixture<ShortTokenServerFixture>
{
    [Fact]
    public async Task SecureChannel_WithTokenLifetime2500ms_RenewsAndDropsNothingForTheSoakDuration()
    {
        var server = fixture.Server;
        await using var client = await ConnectAsync(server, configure: o => o with { SecureChannelLifetime = TimeSpan.FromMilliseconds(2500) });
        await SoakAsync(client, server);
    }

    /// <summary>Five counters for the soak duration on a 2.5 s token: ≥ 80 % of the expected renewals, no reconnect, nothing lost.</summary>
    internal static async Task SoakAsync(OpcUaClient client, OpcUaTestServer server)
    {
        var ns = (ushort)client.NamespaceIndex(server.NamespaceUri);
        var subscription = await client.CreateSubscriptionAsync(new SubscriptionOptions { PublishingInterval = TimeSpan.FromMilliseconds(250) });
        await using var recorder = new ValueRecorder(subscription);
        await subscription.AddItemsAsync([.. Enumerable.Range(0, 5).Select(i => new MonitoredItemRequest
        {
            ClientHandle = (uint)i,
            NodeId = NodeId.FromString($"Counter.{i}", ns),
            SamplingInterval = TimeSpan.Zero,
            QueueSize = 20,
        })]);

        await Task.Delay(Soak.Duration);

        // One renewal every 75 % of 2.5 s.
        var expectedRenewals = Soak.Duration.TotalSeconds / 1.875;
        Assert.True(client.TokenRenewals >= expectedRenewals * 0.8, $"{client.TokenRenewals} renewals, expected about {expectedRenewals:0}.");
        Assert.Equal(0, client.Reconnects);
        Assert.Equal(0, client.SecurityFailures);
        for (uint h = 0; h < 5; h++)
        {
            var values = recorder.Of(h);
            Assert.Null(ValueRecorder.CheckConsecutive(values));
            await ValueRecorder.AssertCaughtUpAsync(client, NodeId.FromString($"Counter.{h}", ns), values, Soak.Duration);
        }

        // Still usable for ordinary calls after all those renewals.
        Assert.True((await client.ReadValueAsync(WellKnownNodes.ServerState)).Status.IsGood);
    }
}
