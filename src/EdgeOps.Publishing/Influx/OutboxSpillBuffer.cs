using System.Text;
using EdgeOps.Publishing.Outbox;

namespace EdgeOps.Publishing.Influx;

/// <summary>
/// <see cref="ISpillBuffer"/> on the gateway's outbox storage (<see cref="OutboxStore"/>: SQLite, WAL,
/// <c>synchronous=FULL</c>, so a batch whose append returned survives a power cut). There is one durable-queue
/// implementation in the code base: a spilled batch is one outbox row (topic <see cref="Topic"/>, payload the
/// UTF-8 lines joined by '\n'), removed as a unit once InfluxDB took it. The file holds only spilled batches;
/// it is never the gateway's <c>outbox.db</c>.
/// </summary>
public sealed class OutboxSpillBuffer : ISpillBuffer
{
    /// <summary>The outbox topic of a spilled batch (never published: this file is not an MQTT outbox).</summary>
    public const string Topic = "$influx/lines";

    private readonly OutboxStore _store;
    private readonly Queue<long> _ids = new();
    private readonly Lock _gate = new();
    private long _seq;

    public OutboxSpillBuffer(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        _store = new OutboxStore(path, syncEveryCommit: true);
        foreach (var entry in _store.LoadEntries())
        {
            _ids.Enqueue(entry.Id);
            _seq = Math.Max(_seq, entry.Seq);
        }
    }

    public long Count
    {
        get
        {
            lock (_gate)
            {
                return _ids.Count;
            }
        }
    }

    public Task AppendAsync(IReadOnlyList<string> lines, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lines);
        cancellationToken.ThrowIfCancellationRequested();
        var body = Encoding.UTF8.GetBytes(string.Join('\n', lines));
        lock (_gate)
        {
            var seq = ++_seq;
            var ids = _store.Insert([(Topic, seq, MessageKind.Event, false, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), body)], [], []);
            _ids.Enqueue(ids[0]);
        }

        return Task.CompletedTask;
    }

    public Task<SpilledBatch?> PeekAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (!_ids.TryPeek(out var id))
            {
                return Task.FromResult<SpilledBatch?>(null);
            }

            var body = _store.LoadPayloads(id, id)[id];
            return Task.FromResult<SpilledBatch?>(new SpilledBatch(id, Encoding.UTF8.GetString(body).Split('\n')));
        }
    }

    public Task RemoveAsync(long id, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            _store.Delete([id]);
            if (_ids.TryPeek(out var first) && first == id)
            {
                _ids.Dequeue();
            }
            else if (_ids.Contains(id))
            {
                var rest = _ids.Where(x => x != id).ToArray();
                _ids.Clear();
                foreach (var x in rest)
                {
                    _ids.Enqueue(x);
                }
            }
        }

        return Task.CompletedTask;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _store.Dispose();
        }
    }
}
