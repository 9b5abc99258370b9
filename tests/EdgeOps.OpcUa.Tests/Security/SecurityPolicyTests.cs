using EdgeOps.OpcUa.Client;
using EdgeOps.OpcUa.Security;
using EdgeOps.OpcUa.Subscriptions;
using EdgeOps.OpcUa.Tests.Subscriptions;
using EdgeOps.OpcUa.Types;
using EdgeOps.TestSupport.OpcUa;

namespace EdgeOps.OpcUa.Tests.Security;

/// <summary>Each policy in each mode against a node-opcua server that offers only that endpoint (plus its restricted None discovery).</summary>
public sealed class SecurityPolicyTests
{
    public static TheoryData<string, MessageSecurity> Endpoints() => new()
    {
        { "Basic256Sha256", MessageSecurity.Sign },
        { "Basic256Sha256", MessageSecurity.SignAndEncrypt },
        { "Aes128_Sha256_RsaOaep", MessageSecurity.Sign },
        { "Aes128_Sha256_RsaOaep", MessageSecurity.SignAndEncrypt },
        { "Aes256_Sha256_RsaPss", MessageSecurity.Sign },
        { "Aes256_Sha256_RsaPss", MessageSecurity.SignAndEncrypt },
    };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task SecureEndpoint_OnlyOffered_ConnectsBrowsesReadsWritesAndSubscribes(string policy, MessageSecurity mode)
    {
        await using var server = new OpcUaTestServer(new OpcUaTestServerOptions { SecurityPolicies = [policy], SecurityModes = [mode.ToString()] });
        await server.StartAsync();
        using var pki = new ClientPki();
        await pki.TrustServerAsync(server, mode, policy);

        // No mode or policy configured: the only secure endpoint is the most secure one offered.
        await using var client = await pki.ConnectAsync(pki.Options(server, user: "alice", password: "secret"));
        Assert.Equal(policy, client.SecurityPolicy.Name);
        Assert.Equal(mode, client.SecurityMode);

        var ns = (ushort)client.NamespaceIndex(server.NamespaceUri);
        var children = (await client.BrowseAsync([WellKnownNodes.Server]))[0];
        Assert.Contains(children, c => c.BrowseName.Name == "ServerStatus");

        var setpoint = NodeId.FromString("Plc.Setpoint", ns);
        await client.WriteValueAsync(setpoint, Variant.From(17.5));
        Assert.Equal(17.5, (double)(await client.ReadValueAsync(setpoint)).Value.Value!);

        var subscription = await client.CreateSubscriptionAsync(new SubscriptionOptions { PublishingInterval = TimeSpan.FromMilliseconds(100) });
        await using var recorder = new ValueRecorder(subscription);
        await subscription.AddItemsAsync([new MonitoredItemRequest { ClientHandle = 1, NodeId = NodeId.FromString("Counter.0", ns), SamplingInterval = TimeSpan.Zero, QueueSize = 10 }]);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (recorder.Of(1).Count < 10 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.True(recorder.Of(1).Count >= 10, $"{recorder.Of(1).Count} values in 30 s");
        Assert.Null(ValueRecorder.CheckConsecutive(recorder.Of(1)));
        Assert.Equal(0, client.SecurityFailures);
    }
}
