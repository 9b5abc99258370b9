using EdgeOps.OpcUa.Client;
using EdgeOps.OpcUa.Security;
using EdgeOps.OpcUa.Subscriptions;
using EdgeOps.OpcUa.Tests.Subscriptions;
using EdgeOps.OpcUa.Types;
using EdgeOps.TestSupport.OpcUa;

namespace EdgeOps.OpcUa.Tests.Security;

/// <summary>A proxy flips one byte in a signed chunk: the client must notice, close the channel, reconnect, and deliver no altered value.</summary>
public sealed class TamperingTests
{
    [Theory]
    [InlineData(MessageSecurity.Sign)]
    [InlineData(MessageSecurity.SignAndEncrypt)]
    public async Task FlippedByteInSignedChunk_IsRefusedAndTheClientReconnects_WithNoAlteredValue(MessageSecurity mode)
    {
        await using var server = new OpcUaTestServer(new OpcUaTestServerOptions { SecurityPolicies = ["Basic256Sha256"], SecurityModes = [mode.ToString()] });
        await server.StartAsync();
        await using var proxy = new TamperingProxy(server.Port);
        using var pki = new ClientPki();
        var options = pki.Options(server, mode) with { EndpointUrl = proxy.EndpointUrl(server.EndpointUrl) };
        await pki.TrustServerAsync(server, mode);
        var changes = new List<ConnectionStateChange>();
        await using var client = await pki.ConnectAsync(options);
        client.ConnectionStateChanged += (_, e) =>
        {
            lock (changes)
            {
                changes.Add(e);
            }
        };

        var ns = (ushort)client.NamespaceIndex(server.NamespaceUri);
        var subscription = await client.CreateSubscriptionAsync(new SubscriptionOptions { PublishingInterval = TimeSpan.FromMilliseconds(100) });
        await using var recorder = new ValueRecorder(subscription);
        await subscription.AddItemsAsync([new MonitoredItemRequest { ClientHandle = 1, NodeId = NodeId.FromString("Counter.0", ns), SamplingInterval = TimeSpan.Zero, QueueSize = 50 }]);
        await WaitUntilAsync(() => recorder.Of(1).Count >= 10, "first values");

        proxy.TamperNext();
        await WaitUntilAsync(() => proxy.Tampered == 1 && client.SecurityFailures == 1 && client.Reconnects >= 1, "tampered chunk refused and reconnected");
        var afterReconnect = recorder.Of(1).Count;
        await WaitUntilAsync(() => recorder.Of(1).Count >= afterReconnect + 10, "values after the reconnect");

        lock (changes)
        {
            Assert.Contains(changes, c => c.State == ConnectionState.Reconnecting && c.Reason is OpcUaException { } ex
                && ex.Status.Is(StatusCode.BadSecurityChecksFailed) && ex.Message.Contains("signature", StringComparison.Ordinal));
        }

        // Every value is the previous one + 1, or (once, after reactivating the session) the same value again: an
        // altered UInt32 would jump.
        var values = recorder.Of(1);
        for (var i = 1; i < values.Count; i++)
        {
            var step = values[i].Value - values[i - 1].Value;
            Assert.True(step is 0 or 1, $"value {values[i].Value} after {values[i - 1].Value} at {i} of {values.Count}");
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(45);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(100);
        }
    }
}
