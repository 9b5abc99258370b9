using System.Diagnostics.Metrics;
using EdgeOps.Publishing.Outbox;
using EdgeOps.Publishing.Tests.Support;
using Microsoft.Extensions.Logging;

namespace EdgeOps.Publishing.Tests;

public sealed class OutboxTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("edgeops-outbox-test-").FullName;
    private readonly CapturingLoggerFactory _logs = new();

    [Fact]
    public void Seq_AfterReopeningTheFile_KeepsIncreasingPerTopic()
    {
        var m = Samples.Machine();
        var options = new OutboxOptions { Path = Path.Combine(_directory, "o.db") };
        using (var outbox = Open(options))
        {
            Assert.Equal(1, outbox.Enqueue(Samples.Event(m, 1)));
            Assert.Equal(2, outbox.Enqueue(Samples.Event(m, 2)));
            Assert.Equal(1, outbox.Enqueue(Samples.Kpi(m, 0.5)));
        }

        using (var reopened = Open(options))
        {
            Assert.Equal(3, reopened.Enqueue(Samples.Event(m, 3)));
            Assert.Equal(2, reopened.Enqueue(Samples.Kpi(m, 0.6)));
            Assert.Equal(5, reopened.Count);
        }
    }

    [Fact]
    public async Task EnqueueAsync_ManyConcurrentProducers_ShareCommits_SeqsContiguousPerTopicInSendOrder()
    {
        var machines = Enumerable.Range(0, 4).Select(i => Samples.Machine($"m{i}")).ToArray();
        var options = new OutboxOptions { Path = Path.Combine(_directory, "o.db"), ReplayRatePerSecond = 0 };
        const int perProducer = 250;
        using (var outbox = Open(options))
        {
            // 8 producers on the pool, two per topic, all enqueueing at once.
            var producers = Enumerable.Range(0, 8).Select(p => Task.Run(async () =>
            {
                var seqs = new List<long>();
                for (var i = 0; i < perProducer; i++)
                {
                    seqs.Add(await outbox.EnqueueAsync(Samples.Event(machines[p % 4], i), CancellationToken.None));
                }

                return seqs;
            })).ToArray();
            var results = await Task.WhenAll(producers);

            // Each producer's own seqs increase (its messages were written in its order) ...
            Assert.All(results, seqs => Assert.True(seqs.SequenceEqual(seqs.Order()), "a producer's seqs went down"));

            // ... and per topic, 1..N each exactly once, sent in seq order with the seq inside the payload.
            outbox.BeginReplay();
            var sent = new Dictionary<string, List<long>>();
            while (outbox.TryTake(out var entry, out _))
            {
                var json = System.Text.Json.JsonDocument.Parse(entry!.Payload!).RootElement;
                Assert.Equal(entry.Seq, json.GetProperty("seq").GetInt64());
                (sent.TryGetValue(entry.Topic, out var list) ? list : sent[entry.Topic] = []).Add(entry.Seq);
            }

            Assert.Equal(4, sent.Count);
            Assert.All(sent.Values, seqs => Assert.Equal(Enumerable.Range(1, 2 * perProducer).Select(i => (long)i), seqs));
        }

        // Durable: all of it is in the file.
        using var reopened = Open(options);
        Assert.Equal(8 * perProducer, reopened.Count);
    }

    [Fact]
    public void FlushAcknowledged_AcksWithGaps_DeletesExactlyTheAcknowledgedRows()
    {
        var m = Samples.Machine();
        var options = new OutboxOptions { Path = Path.Combine(_directory, "o.db"), ReplayRatePerSecond = 0 };
        using (var outbox = Open(options))
        {
            for (var i = 1; i <= 10; i++)
            {
                outbox.Enqueue(Samples.Event(m, i));
            }

            outbox.BeginReplay();
            var taken = new List<OutboxEntry>();
            Assert.True(outbox.TryTakeMany(100, taken, out _));
            Assert.Equal(10, taken.Count);

            // Acknowledged out of order, in runs and singles: 1-3, 5, 7-8, 10.
            foreach (var seq in new long[] { 8, 2, 1, 10, 5, 3, 7 })
            {
                outbox.Acknowledge(taken.Single(e => e.Seq == seq));
            }

            Assert.Equal(7, outbox.FlushAcknowledged());
        }

        using var reopened = Open(options);
        reopened.BeginReplay();
        var left = new List<long>();
        while (reopened.TryTake(out var entry, out _))
        {
            left.Add(entry!.Seq);
        }

        Assert.Equal([4L, 6, 9], left);
    }

    [Fact]
    public void Reopen_WithUnacknowledgedMessages_ReplaysThemInOrderWithTheirOriginalPayloads()
    {
        var m = Samples.Machine();
        var options = new OutboxOptions { Path = Path.Combine(_directory, "o.db"), ReplayRatePerSecond = 0 };
        using (var outbox = Open(options))
        {
            for (var i = 1; i <= 5; i++)
            {
                outbox.Enqueue(Samples.Event(m, i));
            }

            outbox.BeginReplay();
            Assert.True(outbox.TryTake(out var first, out _));
            outbox.Acknowledge(first!);
            outbox.FlushAcknowledged();
        }

        using var reopened = Open(options);
        reopened.BeginReplay();
        var seqs = new List<long>();
        while (reopened.TryTake(out var entry, out _))
        {
            var json = System.Text.Json.JsonDocument.Parse(entry!.Payload!).RootElement;
            Assert.Equal(entry.Seq, json.GetProperty("seq").GetInt64());
            seqs.Add(entry.Seq);
        }

        Assert.Equal([2L, 3, 4, 5], seqs);
    }

    [Fact]
    public void Bound_WhenFull_DropsSupersededSnapshotsFirstNeverEventsAndCountsEveryDrop()
    {
        var m = Samples.Machine();
        var eventSize = Samples.Event(m, 1).RenderPayload(1).Length;
        var options = new OutboxOptions { Path = Path.Combine(_directory, "o.db"), MaxBytes = eventSize * 6, ReplayRatePerSecond = 0 };
        var gateway = "gw-bound-" + Guid.NewGuid().ToString("N")[..6];
        long measured = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == PublishingMetrics.MeterName && instrument.Name == "edgeops.outbox.dropped")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "gateway" && Equals(tag.Value, gateway))
                {
                    Interlocked.Add(ref measured, value);
                }
            }
        });
        listener.Start();

        using var meters = new EdgeOps.TestSupport.Metrics.TestMeterFactory();
        using var outbox = new DurableOutbox(options, gateway, TimeProvider.System, _logs.CreateLogger<DurableOutbox>(),
            new PublishingMetrics(meters));
        for (var i = 1; i <= 40; i++)
        {
            outbox.Enqueue(Samples.Kpi(m, i / 100.0));
            outbox.Enqueue(Samples.Event(m, i));
        }

        outbox.BeginReplay();
        var events = new List<long>();
        var kpis = new List<long>();
        while (outbox.TryTake(out var entry, out _))
        {
            (entry!.Kind == MessageKind.Event ? events : kpis).Add(entry.Seq);
        }

        Assert.Equal(Enumerable.Range(1, 40).Select(i => (long)i), events);
        Assert.Equal([40L], kpis);
        Assert.Equal(0, outbox.Dropped(MessageKind.Event));
        Assert.Equal(39, outbox.Dropped(MessageKind.Snapshot));
        Assert.Equal(39, Interlocked.Read(ref measured));
        Assert.Contains(_logs.Lines, l => l.Contains("dropped snapshot", StringComparison.Ordinal) && l.Contains(m.Kpi, StringComparison.Ordinal));
        Assert.Contains(_logs.Lines, l => l.Contains("over its bound", StringComparison.Ordinal));
    }

    [Fact]
    public void Replay_WithBacklog_LiveTopicsFlowWhileATopicWithBacklogStaysInOrder()
    {
        var a = Samples.Machine("a");
        var b = Samples.Machine("b");
        var options = new OutboxOptions { Path = Path.Combine(_directory, "o.db"), ReplayRatePerSecond = 1 };
        using var outbox = Open(options);
        outbox.Enqueue(Samples.Event(a, 1));
        outbox.Enqueue(Samples.Event(a, 2));
        outbox.BeginReplay();

        // The rate allows one backlog message now; then the next must wait.
        Assert.True(outbox.TryTake(out var firstBacklog, out _));
        Assert.Equal((a.Events, 1L), (firstBacklog!.Topic, firstBacklog.Seq));
        Assert.False(outbox.TryTake(out _, out var wait));
        Assert.InRange(wait, TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(1));

        // A live message for a topic without backlog goes at once; one for topic a queues behind a's backlog.
        outbox.Enqueue(Samples.Event(a, 3));
        outbox.Enqueue(Samples.Event(b, 1));
        Assert.True(outbox.TryTake(out var live, out _));
        Assert.Equal((b.Events, 1L), (live!.Topic, live.Seq));
        Assert.False(outbox.TryTake(out _, out _));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private DurableOutbox Open(OutboxOptions options) =>
        new(options, "gw-test", TimeProvider.System, _logs.CreateLogger<DurableOutbox>());
}
