using System.Diagnostics;
using EdgeOps.OpcUa.Client;
using EdgeOps.OpcUa.Subscriptions;
using EdgeOps.OpcUa.Types;
using EdgeOps.TestSupport.OpcUa;
using static EdgeOps.OpcUa.Tests.Client.ClientTestHelpers;

namespace EdgeOps.OpcUa.Tests.Subscriptions;

public sealed class ServerRestartTests : IAsyncLifetime
{
    private readonly OpcUaTestServer _server = new(new OpcUaTestServerOptions { Counters = 20 });

    public Task InitializeAsync() => _server.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task ServerKilledAndRestarted10sLater_FiveTimes_ValuesResumeWithin5sWithoutDoubleCountsOrLeakedSessions()
    {
        await using var client = await ConnectAsync(_server);
        var states = new List<ConnectionStateChange>();
        client.ConnectionStateChanged += (_, e) =>
        {
            lock (states)
            {
                states.Add(e);
            }
        };
        var subscription = await client.CreateSubscriptionAsync(new SubscriptionOptions
        {
            PublishingInterval = TimeSpan.FromMilliseconds(250),
            KeepAliveCount = 4,
        });
        await using var recorder = new ValueRecorder(subscription);
        var ns = (ushort)client.NamespaceIndex(_server.NamespaceUri);

        // Half by node id (bound by namespace URI), half by browse path: both must be resolved again after a restart.
        var items = Enumerable.Range(0, 20).Select(i => i % 2 == 0
            ? new MonitoredItemRequest { ClientHandle = (uint)i, NodeId = NodeId.FromString($"Counter.{i}", ns), NamespaceUri = _server.NamespaceUri, SamplingInterval = TimeSpan.Zero, QueueSize = 20 }
            : new MonitoredItemRequest { ClientHandle = (uint)i, BrowsePath = BrowsePathSpec.Parse($"Objects/Bulk/Folder.0/Counter.{i}", _server.NamespaceUri), SamplingInterval = TimeSpan.Zero, QueueSize = 20 }).ToList();
        var results = await subscription.AddItemsAsync(items);
        Assert.All(results, r => Assert.True(r.Status.IsGood, $"{r.ClientHandle}: {r.Status}"));
        await Task.Delay(1000);

        for (var cycle = 1; cycle <= 5; cycle++)
        {
            _server.Kill();
            await Task.Delay(TimeSpan.FromSeconds(10));
            await _server.StartAsync();
            var restarted = DateTime.UtcNow;
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < TimeSpan.FromSeconds(5) && !Enumerable.Range(0, 20).All(h => recorder.LastArrival((uint)h) > restarted))
            {
                await Task.Delay(50);
            }

            var resumed = clock.Elapsed;
            Assert.True(Enumerable.Range(0, 20).All(h => recorder.LastArrival((uint)h) > restarted),
                $"Cycle {cycle}: values did not resume within 5 s. States: {string.Join(" | ", Snapshot(states).Select(s => $"{s.State} {s.Detail} {s.Reason?.Message}"))}");
            Assert.Equal(ConnectionState.Connected, client.State);

            // Exactly our session on the restarted server: nothing leaked, nothing duplicated.
            var sessions = await client.ReadValueAsync(NodeId.FromString("Server.SessionCount", (ushort)client.NamespaceIndex(_server.NamespaceUri)));
            Assert.Equal(1u, (uint)sessions.Value.Value!);
            Assert.True(resumed < TimeSpan.FromSeconds(5), $"Cycle {cycle} took {resumed}.");
            await Task.Delay(1000);
        }

        Assert.Equal(5, client.Reconnects);
        Assert.Equal(5, subscription.Recreations);
        for (uint h = 0; h < 20; h++)
        {
            var values = recorder.Of(h);

            // The PLC kept counting while the server was down: each value is new (never repeated, never lower), so a
            // totalizer taking deltas counts exactly last − first, no more.
            for (var i = 1; i < values.Count; i++)
            {
                Assert.True(values[i].Value > values[i - 1].Value, $"Counter {h}: {values[i].Value} after {values[i - 1].Value}.");
            }

            var deltas = values.Zip(values.Skip(1), (a, b) => b.Value - a.Value).Sum();
            Assert.Equal(values[^1].Value - values[0].Value, deltas);
        }
    }

    private static List<ConnectionStateChange> Snapshot(List<ConnectionStateChange> states)
    {
        lock (states)
        {
            return [.. states];
        }
    }
}
