using System.Diagnostics;
using EdgeOps.OpcUa.Client;
using EdgeOps.OpcUa.Security;
using EdgeOps.OpcUa.Tests.Security;
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

    /// <summary>
    /// With SignAndEncrypt every reconnect also validates the (same) server certificate again, opens a secure
    /// channel with fresh nonces and keys, and re-signs the session; the counts must come through exactly as without.
    /// </summary>
    [Theory]
    [InlineData(MessageSecurity.None)]
    [InlineData(MessageSecurity.SignAndEncrypt)]
    public async Task ServerKilledAndRestarted10sLater_FiveTimes_ValuesResumeWithin5sWithoutDoubleCountsOrLeakedSessions(MessageSecurity mode)
    {
        using var pki = new ClientPki();
        if (mode != MessageSecurity.None)
        {
            await pki.TrustServerAsync(_server, mode, "Basic256Sha256");
        }

        await using var client = mode == MessageSecurity.None
            ? await ConnectAsync(_server)
            : await pki.ConnectAsync(pki.Options(_server, mode, "Basic256Sha256"));
        Assert.Equal(mode, client.SecurityMode);
        var states = new List<StateAt>();
        client.ConnectionStateChanged += (_, e) =>
        {
            lock (states)
            {
                states.Add(new StateAt(DateTime.UtcNow, e.State, e.Detail, e.Reason));
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
            ? new MonitoredItemRequest { ClientHandle = (uint)i, NodeId = NodeId.FromString($"Counter.{i}", ns), NamespaceUri = _server.NamespaceUri, SamplingInterval = TimeSpan.Zero, QueueSize = 100 }
            : new MonitoredItemRequest { ClientHandle = (uint)i, BrowsePath = BrowsePathSpec.Parse($"Objects/Bulk/Folder.0/Counter.{i}", _server.NamespaceUri), SamplingInterval = TimeSpan.Zero, QueueSize = 100 }).ToList();
        var results = await subscription.AddItemsAsync(items);
        Assert.All(results, r => Assert.True(r.Status.IsGood, $"{r.ClientHandle}: {r.Status}"));
        await Task.Delay(1000);

        var restarts = new List<DateTime>();
        for (var cycle = 1; cycle <= 5; cycle++)
        {
            _server.Kill();
            await Task.Delay(TimeSpan.FromSeconds(10));
            // Nothing from the killed server can arrive after this instant (it has been gone for 10 s), and nothing
            // from the new one before it: it splits the recorded values into server runs.
            restarts.Add(DateTime.UtcNow);
            await _server.StartAsync();
            var restarted = DateTime.UtcNow;
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < TimeSpan.FromSeconds(5) && !Enumerable.Range(0, 20).All(h => recorder.LastArrival((uint)h) > restarted))
            {
                await Task.Delay(50);
            }

            var resumed = clock.Elapsed;
            Assert.True(Enumerable.Range(0, 20).All(h => recorder.LastArrival((uint)h) > restarted),
                $"Cycle {cycle}: values did not resume within 5 s. States: {string.Join(" | ", Snapshot(states).Select(s => $"{s.At:HH:mm:ss.fff} {s.State} {s.Detail} {s.Reason?.Message}"))} (restarted {restarted:HH:mm:ss.fff})");
            Assert.Equal(ConnectionState.Connected, client.State);
            Assert.Equal(mode, client.SecurityMode);
            Assert.Equal(mode == MessageSecurity.None ? SecurityPolicy.None : SecurityPolicy.Basic256Sha256, client.SecurityPolicy);

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

            // The PLC kept counting while the server was down: each value is new (never repeated, never lower).
            for (var i = 1; i < values.Count; i++)
            {
                Assert.True(values[i].Value > values[i - 1].Value, $"Counter {h}: {values[i].Value} after {values[i - 1].Value}.");
            }

            // Within one server run the counter moves by exactly one per tick and every change is reported (sampling
            // interval 0, a queue far longer than a publishing interval): each count arrives once, none is skipped and
            // none twice. Only the first value after a restart may jump (the counts made while the server was down).
            // So the values a totalizer sees between restarts are exactly the counts the server made.
            for (var i = 1; i < values.Count; i++)
            {
                var newRun = restarts.Any(r => values[i - 1].Arrived < r && values[i].Arrived >= r);
                if (!newRun)
                {
                    Assert.True(values[i].Value - values[i - 1].Value == 1,
                        $"Counter {h}: {values[i].Value} after {values[i - 1].Value} within one server run (arrived {values[i].Arrived:O}).");
                }
            }

            // Every run delivered values: six runs (the first and one per restart), each with its own counts.
            var runs = values.Select(v => restarts.Count(r => v.Arrived >= r)).Distinct().Count();
            Assert.Equal(6, runs);
        }
    }

    private sealed record StateAt(DateTime At, ConnectionState State, string Detail, Exception? Reason);

    private static List<StateAt> Snapshot(List<StateAt> states)
    {
        lock (states)
        {
            return [.. states];
        }
    }
}
