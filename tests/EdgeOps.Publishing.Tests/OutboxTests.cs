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
            if (instrument.Meter.Name == "EdgeOps" && instrument.Name == "edgeops.outbox.dropped")
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

        using var outbox = new DurableOutbox(options, gateway, TimeProvider.System, _logs.CreateLogger<DurableOutbox>());
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
