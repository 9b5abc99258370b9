using EdgeOps.OpcUa.Client;
using EdgeOps.OpcUa.Subscriptions;
using EdgeOps.OpcUa.Types;
using EdgeOps.TestSupport.OpcUa;
using static EdgeOps.OpcUa.Tests.Client.ClientTestHelpers;

namespace EdgeOps.OpcUa.Tests.Subscriptions;

public sealed class SmallLimitsServerFixture() : OpcUaServerFixture(new OpcUaTestServerOptions
{
    Counters = 5000,
    CounterInterval = TimeSpan.FromSeconds(1),
    MaxNodesPerRead = 100,
    MaxNodesPerBrowse = 40,
    MaxMonitoredItemsPerCall = 250,
    MaxNodesPerTranslate = 50,
});

public sealed class OperationLimitsTests(SmallLimitsServerFixture fixture) : IClassFixture<SmallLimitsServerFixture>
{
    [Fact]
    public async Task Client_ReadsTheServersOperationLimits()
    {
        await using var client = await ConnectAsync(fixture.Server);
        Assert.Equal(100u, client.Limits.MaxNodesPerRead);
        Assert.Equal(40u, client.Limits.MaxNodesPerBrowse);
        Assert.Equal(250u, client.Limits.MaxMonitoredItemsPerCall);
    }

    [Fact]
    public async Task BrowseReadAndSubscribe_5000Nodes_WorkThroughBatching()
    {
        var server = fixture.Server;
        await using var client = await ConnectAsync(server);
        var ns = (ushort)client.NamespaceIndex(server.NamespaceUri);

        // Browse the 50 folders (page of 30 references forces BrowseNext), then browse all 5,000 counters.
        var bulk = (await client.TranslateAsync([BrowsePathSpec.Parse("Objects/Bulk", server.NamespaceUri)]))[0].NodeId!;
        var folders = (await client.BrowseAsync([bulk]))[0].Select(r => r.NodeId.ToNodeId(client.NamespaceArray)!).ToList();
        Assert.Equal(50, folders.Count);
        var children = await client.BrowseAsync(folders, NodeClass.Variable, maxReferencesPerNode: 30);
        var counters = children.SelectMany(c => c).Select(r => r.NodeId.ToNodeId(client.NamespaceArray)!).ToList();
        Assert.Equal(5000, counters.Count);
        var leaves = await client.BrowseAsync(counters);
        Assert.Equal(5000, leaves.Count);

        var values = await client.ReadAsync(counters);
        Assert.Equal(5000, values.Count);
        Assert.All(values, v => Assert.True(v.Status.IsGood));

        var subscription = await client.CreateSubscriptionAsync(new SubscriptionOptions { PublishingInterval = TimeSpan.FromMilliseconds(500) });
        await using var recorder = new ValueRecorder(subscription);
        var results = await subscription.AddItemsAsync([.. counters.Select((n, i) => new MonitoredItemRequest { ClientHandle = (uint)i, NodeId = n, SamplingInterval = TimeSpan.FromMilliseconds(500) })]);
        Assert.Equal(5000, results.Count(r => r.Status.IsGood));

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (recorder.Handles < 5000 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        Assert.Equal(5000, recorder.Handles);

        // 5,000 browse paths through TranslateBrowsePathsToNodeIds, 50 per call.
        var paths = Enumerable.Range(0, 5000).Select(i => BrowsePathSpec.Parse($"Objects/Bulk/Folder.{i / 100}/Counter.{i}", server.NamespaceUri)).ToList();
        var translated = await client.TranslateAsync(paths);
        Assert.All(translated.Select((t, i) => (t, i)), x => Assert.Equal(NodeId.FromString($"Counter.{x.i}", ns), x.t.NodeId));
    }
}
