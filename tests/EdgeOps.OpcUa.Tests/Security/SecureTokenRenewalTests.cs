using EdgeOps.OpcUa.Security;
using EdgeOps.OpcUa.Subscriptions;
using EdgeOps.OpcUa.Tests.Subscriptions;
using EdgeOps.OpcUa.Types;
using EdgeOps.TestSupport.OpcUa;

namespace EdgeOps.OpcUa.Tests.Security;

public sealed class SecureTokenRenewalTests
{
    [Fact]
    public async Task SignAndEncrypt_WithTokenLifetime2500ms_RenewsKeysAndDropsNothingForTheSoakDuration()
    {
        await using var server = new OpcUaTestServer(new OpcUaTestServerOptions
        {
            SecurityPolicies = ["Basic256Sha256"], SecurityModes = ["SignAndEncrypt"], TokenLifetime = TimeSpan.FromMilliseconds(2500),
        });
        await server.StartAsync();
        using var pki = new ClientPki();
        await pki.TrustServerAsync(server);
        await using var client = await pki.ConnectAsync(pki.Options(server, MessageSecurity.SignAndEncrypt) with { SecureChannelLifetime = TimeSpan.FromMilliseconds(2500) });
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

        Assert.True((await client.ReadValueAsync(WellKnownNodes.ServerState)).Status.IsGood);
    }
}
