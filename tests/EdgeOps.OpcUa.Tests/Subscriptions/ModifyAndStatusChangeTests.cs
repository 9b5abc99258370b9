using EdgeOps.OpcUa.Subscriptions;
using EdgeOps.OpcUa.Types;
using EdgeOps.TestSupport.OpcUa;
using EdgeOps.TestSupport.Processes;
using static EdgeOps.OpcUa.Tests.Client.ClientTestHelpers;

namespace EdgeOps.OpcUa.Tests.Subscriptions;

/// <summary>ModifyMonitoredItems and StatusChangeNotification handling against node-opcua.</summary>
public sealed class ModifyAndStatusChangeTests(OpcUaServerFixture fixture) : IClassFixture<OpcUaServerFixture>
{
    [Fact]
    public async Task ModifyItems_FasterSampling_IsRevisedByTheServer_RaisesTheRate_AndUnknownHandlesAreRefused()
    {
        var server = fixture.Server;
        await using var client = await ConnectAsync(server);
        var ns = (ushort)client.NamespaceIndex(server.NamespaceUri);
        var subscription = await client.CreateSubscriptionAsync(new SubscriptionOptions { PublishingInterval = TimeSpan.FromMilliseconds(100) });
        await using var recorder = new ValueRecorder(subscription);
        var created = await subscription.AddItemsAsync([new MonitoredItemRequest
        {
            ClientHandle = 7,
            NodeId = NodeId.FromString("Counter.4", ns),
            SamplingInterval = TimeSpan.FromMilliseconds(1000),
            QueueSize = 1,
        }]);
        Assert.True(created[0].Status.IsGood, created[0].Status.ToString());
        Assert.Equal(TimeSpan.FromMilliseconds(1000), created[0].RevisedSamplingInterval);

        await Task.Delay(1500); // initial value in
        var slowStart = recorder.Of(7).Count;
        await Task.Delay(3000);
        var slow = recorder.Of(7).Count - slowStart;

        var modified = await subscription.ModifyItemsAsync(
        [
            new MonitoredItemRequest { ClientHandle = 7, SamplingInterval = TimeSpan.FromMilliseconds(100), QueueSize = 10 },
            new MonitoredItemRequest { ClientHandle = 99, SamplingInterval = TimeSpan.FromMilliseconds(100) },
        ]);

        Assert.True(modified[0].Status.IsGood, modified[0].Status.ToString());
        Assert.Equal(TimeSpan.FromMilliseconds(100), modified[0].RevisedSamplingInterval);
        Assert.Equal(created[0].NodeId, modified[0].NodeId);
        Assert.True(modified[1].Status.Is(StatusCode.BadMonitoredItemIdInvalid), modified[1].Status.ToString());
        Assert.Equal(TimeSpan.FromMilliseconds(100), subscription.Items[7].RevisedSamplingInterval);

        await Task.Delay(500);
        var fastStart = recorder.Of(7).Count;
        await Task.Delay(3000);
        var fast = recorder.Of(7).Count - fastStart;

        // 1 s sampling of a counter moving every 100 ms: about 3 values in 3 s; at 100 ms about 30.
        Assert.InRange(slow, 1, 5);
        Assert.True(fast >= 15, $"{fast} values in 3 s after the change to 100 ms (before: {slow}).");
        var values = recorder.Of(7);
        for (var i = 1; i < values.Count; i++)
        {
            Assert.True(values[i].Value > values[i - 1].Value, $"value {values[i].Value} after {values[i - 1].Value}");
        }
    }

    [Fact]
    public async Task Subscription_EndedByTheServerWithBadTimeout_IsRecreatedWithTheSameHandlesAndModifiedParameters_WhileTheLinkStaysUp()
    {
        var server = fixture.Server;
        await using var client = await ConnectAsync(server);
        var ns = (ushort)client.NamespaceIndex(server.NamespaceUri);
        var changes = new List<SubscriptionStatusChange>();
        client.StatusChanged += (_, change) =>
        {
            lock (changes)
            {
                changes.Add(change);
            }
        };

        // A consumer that stops reading holds the publish pipeline back (bounded buffer of 2 values): no Publish
        // requests reach the server, so node-opcua lets the subscription's lifetime (≥ 5 s in node-opcua) run out
        // and ends it with a StatusChangeNotification(BadTimeout), sent once Publish requests flow again.
        var subscription = await client.CreateSubscriptionAsync(new SubscriptionOptions
        {
            PublishingInterval = TimeSpan.FromMilliseconds(100),
            KeepAliveCount = 2,
            LifetimeCount = 6,
            ValueBufferCapacity = 2,
        });
        var created = await subscription.AddItemsAsync([.. Enumerable.Range(0, 3).Select(i => new MonitoredItemRequest
        {
            ClientHandle = (uint)(10 + i),
            NodeId = NodeId.FromString($"Counter.{i}", ns),
            SamplingInterval = TimeSpan.FromMilliseconds(500),
            QueueSize = 5,
        })]);
        Assert.All(created, r => Assert.True(r.Status.IsGood, r.Status.ToString()));
        var modified = await subscription.ModifyItemsAsync([new MonitoredItemRequest { ClientHandle = 11, SamplingInterval = TimeSpan.FromMilliseconds(100), QueueSize = 5 }]);
        Assert.True(modified[0].Status.IsGood, modified[0].Status.ToString());
        var firstId = subscription.Id;

        await Task.Delay(TimeSpan.FromSeconds(8)); // nobody reads

        var resumed = DateTime.UtcNow;
        await using var recorder = new ValueRecorder(subscription);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (subscription.Recreations == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.Equal(1, subscription.Recreations);
        Assert.True(subscription.LastStatusChange?.Is(StatusCode.BadTimeout), subscription.LastStatusChange?.ToString());
        lock (changes)
        {
            Assert.Contains(changes, c => c.Subscription == subscription && c.Status.Is(StatusCode.BadTimeout));
        }

        Assert.NotEqual(firstId, subscription.Id);
        await Task.Delay(2500);

        // Same handles, values flowing again; the modified item kept its 100 ms sampling through the recreate.
        var items = subscription.Items;
        Assert.Equal([10u, 11u, 12u], items.Keys.Order());
        Assert.All(items.Values, r => Assert.True(r.Status.IsGood, r.Status.ToString()));
        Assert.Equal(TimeSpan.FromMilliseconds(100), items[11].RevisedSamplingInterval);
        Assert.Equal(TimeSpan.FromMilliseconds(500), items[10].RevisedSamplingInterval);
        for (uint h = 10; h <= 12; h++)
        {
            var after = recorder.Of(h).Where(v => v.Arrived > resumed).ToList();
            Assert.True(after.Count >= 2, $"handle {h}: {after.Count} values after the recreate");
        }

        // The link itself never dropped: no reconnect, still the first session.
        Assert.Equal(0, client.Reconnects);
        Assert.Equal(1, client.SessionsCreated);
    }

    [Fact]
    public async Task Subscription_TakenOverByAnotherSession_IsRecreatedOnOurs_AfterGoodSubscriptionTransferred()
    {
        var server = fixture.Server;
        await using var client = await ConnectAsync(server);
        var ns = (ushort)client.NamespaceIndex(server.NamespaceUri);
        var subscription = await client.CreateSubscriptionAsync(new SubscriptionOptions { PublishingInterval = TimeSpan.FromMilliseconds(100) });
        await using var recorder = new ValueRecorder(subscription);
        await subscription.AddItemsAsync([.. Enumerable.Range(0, 2).Select(i => new MonitoredItemRequest
        {
            ClientHandle = (uint)(20 + i),
            NodeId = NodeId.FromString($"Counter.{5 + i}", ns),
            SamplingInterval = TimeSpan.Zero,
            QueueSize = 10,
        })]);
        await Task.Delay(1000);
        var firstId = subscription.Id;

        // node-opcua's own client takes the subscription over with TransferSubscriptions (and keeps it).
        var node = ManagedProcess.Require("node", "Install Node.js.");
        var dir = OpcUaTestServer.ScriptDirectory();
        using var thief = ManagedProcess.Start(node, [Path.Combine(dir, "take-subscription.js"), server.EndpointUrl, firstId.ToString(System.Globalization.CultureInfo.InvariantCulture)], dir);
        await thief.WaitForOutputAsync("TRANSFERRED", TimeSpan.FromSeconds(60));
        Assert.Contains("TRANSFERRED Good", thief.Output, StringComparison.Ordinal);
        var takenAt = DateTime.UtcNow;

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (subscription.Recreations == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.Equal(1, subscription.Recreations);
        Assert.True(subscription.LastStatusChange?.Is(StatusCode.GoodSubscriptionTransferred), subscription.LastStatusChange?.ToString());
        Assert.NotEqual(firstId, subscription.Id);
        await Task.Delay(2000);
        for (uint h = 20; h <= 21; h++)
        {
            Assert.True(recorder.Of(h).Count(v => v.Arrived > takenAt) >= 5, $"handle {h}: values stopped after the takeover");
        }

        Assert.Equal(0, client.Reconnects);
        Assert.Equal(1, client.SessionsCreated);
    }

    [Fact]
    public async Task Subscription_DroppedByTheServerWithoutNotice_IsRecreatedOnBadNoSubscription()
    {
        var server = fixture.Server;
        await using var client = await ConnectAsync(server);
        var ns = (ushort)client.NamespaceIndex(server.NamespaceUri);
        var subscription = await client.CreateSubscriptionAsync(new SubscriptionOptions { PublishingInterval = TimeSpan.FromMilliseconds(100) });
        await using var recorder = new ValueRecorder(subscription);
        await subscription.AddItemsAsync([new MonitoredItemRequest { ClientHandle = 30, NodeId = NodeId.FromString("Counter.8", ns), SamplingInterval = TimeSpan.Zero, QueueSize = 10 }]);
        await Task.Delay(1000);
        var firstId = subscription.Id;

        // The server forgets every subscription silently (no StatusChangeNotification), as a PLC may after a download.
        var plc = (await client.TranslateAsync([EdgeOps.OpcUa.Client.BrowsePathSpec.Parse("Objects/Plc", server.NamespaceUri)]))[0].NodeId!;
        var dropped = await client.CallMethodAsync(plc, NodeId.FromString("Plc.DropSubscriptions", ns), []);
        Assert.Equal(1u, dropped[0].Value);
        var droppedAt = DateTime.UtcNow;

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (subscription.Recreations == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.Equal(1, subscription.Recreations);
        Assert.True(subscription.LastStatusChange?.Is(StatusCode.BadNoSubscription), subscription.LastStatusChange?.ToString());
        Assert.NotEqual(firstId, subscription.Id);
        await Task.Delay(2000);
        Assert.True(recorder.Of(30).Count(v => v.Arrived > droppedAt) >= 5, "values stopped after the drop");
        Assert.Equal(1, subscription.Recreations); // answers to older Publish requests did not recreate it again
        Assert.Equal(0, client.Reconnects);
    }
}
