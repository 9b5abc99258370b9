using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace EdgeOps.Publishing.Outbox;

/// <summary>
/// Every outgoing message is written here (SQLite WAL) before it is sent and deleted only after the broker's PUBACK.
/// After a reconnect the backlog drains in order at a limited rate while topics without backlog keep sending live;
/// a topic with backlog sends its new messages behind it, so each topic stays in order. The queue is bounded in
/// bytes: past the bound superseded retained snapshots go first, then command replies; events are never dropped
/// (the queue grows past its bound instead and says so).
/// </summary>
/// <remarks>
/// Locks: <c>_storeLock</c> serialises writers (seq allocation, the SQLite write connection), so commit order is seq order;
/// <c>_gate</c> guards the in-memory queues and is never held during a commit, so the sender is not blocked by the
/// file. Order when both are taken: <c>_storeLock</c>, then <c>_gate</c>. Payloads are read back on a second connection
/// (WAL readers do not block the writer) under <c>_gate</c>.
/// </remarks>
public sealed class DurableOutbox : IDisposable
{
    private const int PayloadBatch = 512;

    private readonly OutboxOptions _options;
    private readonly string _owner;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly OutboxStore _store;
    private readonly SeqCeilings _ceilings;
    private readonly object _storeLock = new();
    private readonly object _gate = new();
    private readonly object _writeQueueGate = new();
    private List<PendingWrite> _writeQueue = [];
    private bool _writerActive;
    private readonly Dictionary<string, long> _seqs;
    private readonly LinkedList<OutboxEntry> _pending = new();
    private readonly Dictionary<long, OutboxEntry> _byId = [];
    private readonly LinkedList<OutboxEntry> _retained = new();
    private readonly LinkedList<OutboxEntry> _replies = new();
    private readonly Dictionary<string, long> _newestRetained = new(StringComparer.Ordinal);
    private readonly Queue<OutboxEntry> _live = new();
    private readonly Queue<OutboxEntry> _backlog = new();
    private readonly Dictionary<string, int> _backlogPerTopic = new(StringComparer.Ordinal);
    private readonly List<long> _ackedIds = [];
    private readonly long[] _droppedByKind = new long[4];
    private long _bytes;
    private long _memoryBytes;
    private double _tokens;
    private long _lastRefill;
    private long _lastCheckpoint;
    private bool _overBound;
    private bool _disposed;
    private readonly PublishingMetrics? _metrics;

    /// <summary>Opens (or creates) the outbox file and loads what a previous run left queued.</summary>
    /// <param name="options">Path, bound, replay rate.</param>
    /// <param name="owner">The gateway's id, used as the metric tag <c>gateway</c>.</param>
    /// <param name="time">Clock for ages and the replay rate.</param>
    /// <param name="logger">Drops and bound warnings.</param>
    /// <param name="metrics">The host's publishing instruments (depth, age, drops); null measures nothing.</param>
    public DurableOutbox(OutboxOptions options, string owner, TimeProvider time, ILogger<DurableOutbox> logger,
        PublishingMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _owner = owner;
        _time = time;
        _logger = logger;
        _metrics = metrics;
        _store = new OutboxStore(options.Path, options.SyncEveryCommit);
        try
        {
            _ceilings = new SeqCeilings(options.Path + ".seq");
            _seqs = _store.LoadSeqs();
            _ceilings.Resume(_seqs);
            foreach (var entry in _store.LoadEntries())
            {
                Track(entry);
                _live.Enqueue(entry);
            }
        }
        catch
        {
            // The caller gets no outbox to dispose: close what was opened here, or the queue file's connection (and lock)
            // would outlive the failed start, e.g. until a retry in the same process.
            _ceilings?.Dispose();
            _store.Dispose();
            throw;
        }

        _lastRefill = _time.GetTimestamp();
        _metrics?.Register(this);
        if (_pending.Count > 0)
        {
            OutboxLog.Recovered(_logger, _pending.Count, _bytes, options.Path);
        }
    }

    /// <summary>The outbox file.</summary>
    public string Path => _options.Path;

    /// <summary>The gateway id this outbox belongs to (metric tag).</summary>
    public string Owner => _owner;

    /// <summary>Rings whenever there may be something new to send.</summary>
    internal Doorbell Changed { get; } = new();

    /// <summary>Messages queued and not yet acknowledged.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _pending.Count;
            }
        }
    }

    /// <summary>Bytes queued, as counted against <see cref="OutboxOptions.MaxBytes"/>.</summary>
    public long Bytes
    {
        get
        {
            lock (_gate)
            {
                return _bytes;
            }
        }
    }

    /// <summary>Age of the oldest unacknowledged message, zero when empty.</summary>
    public TimeSpan OldestAge
    {
        get
        {
            lock (_gate)
            {
                if (_pending.First is not { } first)
                {
                    return TimeSpan.Zero;
                }

                var age = _time.GetUtcNow().ToUnixTimeMilliseconds() - first.Value.CreatedUnixMs;
                return TimeSpan.FromMilliseconds(Math.Max(0, age));
            }
        }
    }

    /// <summary>Messages dropped since this outbox was opened, for one kind.</summary>
    public long Dropped(MessageKind kind)
    {
        lock (_gate)
        {
            return _droppedByKind[(int)kind];
        }
    }

    /// <summary>Writes a message durably and assigns its topic's next seq. Returns that seq.</summary>
    public long Enqueue(OutgoingMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return EnqueueBatch([message])[0];
    }

    /// <summary>
    /// Writes a message durably (the task completes once it is committed) and returns its seq. Group commit: messages
    /// enqueued while a commit runs share the next transaction, so many concurrent producers cost few commits.
    /// </summary>
    public ValueTask<long> EnqueueAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        cancellationToken.ThrowIfCancellationRequested();
        var write = new PendingWrite(message);
        bool startWriter;
        lock (_writeQueueGate)
        {
            _writeQueue.Add(write);
            startWriter = !_writerActive;
            _writerActive = true;
        }

        if (startWriter)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static outbox => outbox.DrainWrites(), this, preferLocal: false);
        }

        return new ValueTask<long>(write.Task);
    }

    /// <summary>Writes several messages in one transaction (one commit for a tick's worth of snapshots).</summary>
    public IReadOnlyList<long> EnqueueBatch(IReadOnlyList<OutgoingMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        lock (_storeLock)
        {
            return Write(messages);
        }
    }

    /// <summary>The group-commit writer: commits everything queued, one transaction per round, until the queue is empty.</summary>
    private void DrainWrites()
    {
        var messages = new List<OutgoingMessage>();
        while (true)
        {
            List<PendingWrite> batch;
            lock (_writeQueueGate)
            {
                if (_writeQueue.Count == 0)
                {
                    _writerActive = false;
                    return;
                }

                batch = _writeQueue;
                _writeQueue = [];
            }

            messages.Clear();
            foreach (var write in batch)
            {
                messages.Add(write.Message);
            }

            var outcomes = new (long Seq, Exception? Error)[batch.Count];
            try
            {
                long[] seqs;
                lock (_storeLock)
                {
                    seqs = Write(messages);
                }

                for (var i = 0; i < seqs.Length; i++)
                {
                    outcomes[i] = (seqs[i], null);
                }
            }
            catch (Exception) when (batch.Count > 1)
            {
                // One bad message (e.g. a payload that does not render) must not fail the others: write them one by one.
                for (var i = 0; i < batch.Count; i++)
                {
                    try
                    {
                        lock (_storeLock)
                        {
                            outcomes[i] = (Write([batch[i].Message])[0], null);
                        }
                    }
                    catch (Exception ex)
                    {
                        outcomes[i] = (0, ex);
                    }
                }
            }
            catch (Exception ex)
            {
                outcomes[0] = (0, ex);
            }

            // Completed by one pool item per commit: the callers' continuations run there, never on this writer (which goes
            // on with the next round, and which a caller blocking on its task must not be waiting for), and it is one
            // thread hop per commit rather than per message.
            ThreadPool.UnsafeQueueUserWorkItem(static state =>
            {
                for (var i = 0; i < state.Batch.Count; i++)
                {
                    if (state.Outcomes[i].Error is { } error)
                    {
                        state.Batch[i].TrySetException(error);
                    }
                    else
                    {
                        state.Batch[i].TrySetResult(state.Outcomes[i].Seq);
                    }
                }
            }, (Batch: batch, Outcomes: outcomes), preferLocal: false);
        }
    }

    /// <summary>
    /// Assigns seqs, renders, picks what to drop, commits, then makes the new entries sendable. Caller holds
    /// <c>_storeLock</c>; <c>_gate</c> is taken only around the in-memory steps, never during the commit.
    /// </summary>
    private long[] Write(IReadOnlyList<OutgoingMessage> messages)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed), this);
        List<OutboxEntry> victims = [];
        var seqs = new long[messages.Count];
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var rows = new List<(string Topic, long Seq, MessageKind Kind, bool Retain, long CreatedMs, byte[] Payload)>(messages.Count);
        var seqUpdates = new Dictionary<string, long>(StringComparer.Ordinal);
        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i];
            var seq = message.FixedSeq ?? NextSeq(message.Topic, seqUpdates);
            var payload = message.RenderPayload(seq);
            seqs[i] = seq;
            rows.Add((message.Topic, seq, message.Kind, message.Retain, now, payload));
        }

        // Durable ceilings first (rarely a write): no seq goes out that a power cut could hand out again. Then the rows
        // and the exact seqs in one transaction. Either throwing (disk full, I/O error) leaves memory as it was: the
        // caller may write the same messages again and they get the same seqs.
        _ceilings.Cover(seqUpdates);
        var ids = _store.Insert(rows, seqUpdates, []);
        foreach (var (topic, value) in seqUpdates)
        {
            _seqs[topic] = value;
        }

        // Made before the gate: the sender and the PUBACKs wait on it, so it is held only for the queues themselves.
        var entries = new OutboxEntry[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            entries[i] = new OutboxEntry
            {
                Id = ids[i],
                Topic = row.Topic,
                Seq = row.Seq,
                Kind = row.Kind,
                Retain = row.Retain,
                CreatedUnixMs = row.CreatedMs,
                Size = OutboxEntry.SizeOf(row.Topic, row.Payload.Length),
            };
        }

        bool crossedBound;
        lock (_gate)
        {
            for (var i = 0; i < rows.Count; i++)
            {
                var row = rows[i];
                var entry = entries[i];
                if (_memoryBytes + row.Payload.Length <= _options.MemoryPayloadBytes)
                {
                    entry.Payload = row.Payload;
                    _memoryBytes += row.Payload.Length;
                }

                Track(entry);
                if (_backlogPerTopic.TryGetValue(entry.Topic, out var waiting) && waiting > 0)
                {
                    entry.InBacklog = true;
                    _backlogPerTopic[entry.Topic] = waiting + 1;
                    _backlog.Enqueue(entry);
                }
                else
                {
                    _live.Enqueue(entry);
                }
            }

            // Chosen only once the new rows are committed, so a failed commit never costs a queued message. Victims leave
            // the queues in this same lock, so the sender cannot take one before the delete below.
            crossedBound = ChooseVictims(victims);
            foreach (var victim in victims)
            {
                Forget(victim, OutboxEntryState.Dropped);
                _droppedByKind[(int)victim.Kind]++;
            }
        }

        if (victims.Count > 0)
        {
            try
            {
                _store.Delete(victims.ConvertAll(v => v.Id));
            }
            catch (Exception ex) when (ex is SqliteException or IOException)
            {
                // Superseded anyway: left in the file they only go out again after a restart, before their newer ones.
                OutboxLog.DropNotDeleted(_logger, victims.Count, ex.Message);
            }
        }

        foreach (var victim in victims)
        {
            _metrics?.Dropped(KindName(victim.Kind), _owner);
            OutboxLog.Dropped(_logger, KindName(victim.Kind), victim.Topic, victim.Seq, victim.Size, _options.MaxBytes);
        }

        if (crossedBound)
        {
            OutboxLog.OverBound(_logger, _options.MaxBytes, Bytes);
        }

        Changed.Ring();
        return seqs;
    }

    /// <summary>
    /// Takes the next <paramref name="count"/> seqs of <paramref name="topic"/> without queueing anything and returns the
    /// first (a birth takes it, its last will the one after, so "offline" always sorts after the "online" it ends).
    /// </summary>
    public long ReserveSeqs(string topic, int count)
    {
        lock (_storeLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var first = _seqs.GetValueOrDefault(topic) + 1;
            var last = first + count - 1;
            _ceilings.Cover([new(topic, last)]);
            _store.SaveSeq(topic, last);
            _seqs[topic] = last;
            return first;
        }
    }

    /// <summary>The next message to publish: live first, then backlog within the replay rate.</summary>
    /// <param name="entry">The message, now in flight.</param>
    /// <param name="wait">When nothing may be sent yet: how long until the rate limit allows the next backlog message.</param>
    internal bool TryTake(out OutboxEntry? entry, out TimeSpan wait)
    {
        var taken = new List<OutboxEntry>(1);
        var any = TryTakeMany(1, taken, out wait);
        entry = any ? taken[0] : null;
        return any;
    }

    /// <summary>
    /// Up to <paramref name="max"/> messages to publish, in send order (live first, then backlog within the replay rate),
    /// all now in flight, taken under one lock. Returns false when none may be sent; <paramref name="wait"/> then says how
    /// long until the rate limit allows the next backlog message (infinite: wait for <see cref="Changed"/>).
    /// </summary>
    internal bool TryTakeMany(int max, List<OutboxEntry> taken, out TimeSpan wait)
    {
        lock (_gate)
        {
            wait = Timeout.InfiniteTimeSpan;
            if (_disposed)
            {
                return false;
            }

            var before = taken.Count;
            while (taken.Count - before < max && _live.TryDequeue(out var live))
            {
                if (live.State == OutboxEntryState.Queued)
                {
                    taken.Add(StartSending(live));
                }
            }

            while (taken.Count - before < max && _backlog.TryPeek(out var next))
            {
                if (next.State != OutboxEntryState.Queued || !next.InBacklog)
                {
                    _backlog.Dequeue();
                    continue;
                }

                if (_options.ReplayRatePerSecond > 0)
                {
                    Refill();
                    if (_tokens < 1)
                    {
                        wait = TimeSpan.FromSeconds((1 - _tokens) / _options.ReplayRatePerSecond);
                        break;
                    }

                    _tokens -= 1;
                }

                _backlog.Dequeue();
                LeaveBacklog(next);
                taken.Add(StartSending(next));
            }

            return taken.Count > before;
        }
    }

    /// <summary>The broker acknowledged <paramref name="entry"/>: it leaves the queue (the row goes in the next flush).</summary>
    internal void Acknowledge(OutboxEntry entry)
    {
        lock (_gate)
        {
            AcknowledgeLocked(entry);
        }
    }

    /// <summary>
    /// The broker acknowledged each of <paramref name="entries"/>: one lock for a run of PUBACKs rather than one per message
    /// (each taken while a producer holds it is a thread put to sleep and woken again).
    /// </summary>
    internal void Acknowledge(List<OutboxEntry> entries)
    {
        lock (_gate)
        {
            foreach (var entry in entries)
            {
                AcknowledgeLocked(entry);
            }
        }
    }

    private void AcknowledgeLocked(OutboxEntry entry)
    {
        if (entry.State is OutboxEntryState.Acked or OutboxEntryState.Dropped)
        {
            return;
        }

        LeaveBacklog(entry);
        Forget(entry, OutboxEntryState.Acked);
        _ackedIds.Add(entry.Id);
    }

    /// <summary>
    /// A new connection: everything not acknowledged (queued or in flight on the old connection) becomes the backlog,
    /// in order. Call before anything is sent on the new connection.
    /// </summary>
    internal void BeginReplay()
    {
        lock (_gate)
        {
            _live.Clear();
            _backlog.Clear();
            _backlogPerTopic.Clear();
            foreach (var entry in _pending)
            {
                entry.State = OutboxEntryState.Queued;
                entry.InBacklog = true;
                _backlog.Enqueue(entry);
                _backlogPerTopic[entry.Topic] = _backlogPerTopic.GetValueOrDefault(entry.Topic) + 1;
            }

            _tokens = Math.Min(1, _options.ReplayRatePerSecond);
            _lastRefill = _time.GetTimestamp();
        }

        Changed.Ring();
    }

    /// <summary>
    /// Deletes acknowledged rows in one transaction (runs of consecutive ids as one range each) and, at most once a
    /// second, checkpoints the WAL without holding up writers (<paramref name="checkpointNow"/>: now, whenever the last
    /// was; the benchmark charges the checkpoint to the messages that filled the WAL). Returns how many rows were deleted.
    /// </summary>
    internal int FlushAcknowledged(bool checkpointNow = false)
    {
        int deleted;
        lock (_storeLock)
        {
            deleted = FlushAcknowledgedLocked();
        }

        var now = _time.GetTimestamp();
        if ((checkpointNow || _time.GetElapsedTime(Volatile.Read(ref _lastCheckpoint), now) >= TimeSpan.FromSeconds(1)) && !Volatile.Read(ref _disposed))
        {
            Volatile.Write(ref _lastCheckpoint, now);
            _store.Checkpoint();
        }

        return deleted;
    }

    /// <summary>Flushes acknowledgements and closes the file. Whatever is still queued is sent by the next run.</summary>
    public void Dispose()
    {
        lock (_storeLock)
        {
            if (_disposed)
            {
                return;
            }

            FlushAcknowledgedLocked();
            lock (_gate)
            {
                _disposed = true;
            }

            try
            {
                // The exact seqs become the ceilings: the next start continues without a gap, after a reboot too.
                _ceilings.Lower(_seqs);
            }
            catch (Exception ex) when (ex is SqliteException or IOException)
            {
                // The higher ceilings stay: the next start after a reboot leaves a gap, never a repeat.
                OutboxLog.CeilingsNotLowered(_logger, _ceilings.Path, ex.Message);
            }

            _ceilings.Dispose();
            _store.Dispose();
        }

        _metrics?.Unregister(this);
    }

    private int FlushAcknowledgedLocked()
    {
        List<long> acked;
        lock (_gate)
        {
            if (_ackedIds.Count == 0 || _disposed)
            {
                return 0;
            }

            acked = [.. _ackedIds];
            _ackedIds.Clear();
        }

        try
        {
            _store.Delete(acked);
        }
        catch (Exception ex) when (ex is SqliteException or IOException)
        {
            // Not deleted (disk full, I/O error): kept for the next flush, or the rows would be sent again after a restart.
            lock (_gate)
            {
                _ackedIds.AddRange(acked);
            }

            throw;
        }

        return acked.Count;
    }

    internal static string KindName(MessageKind kind) => kind switch
    {
        MessageKind.Event => "event",
        MessageKind.Snapshot => "snapshot",
        MessageKind.Reply => "reply",
        MessageKind.Status => "status",
        _ => "unknown",
    };

    /// <summary>A message waiting for the group commit; completes (on the pool, never on the writer) with its seq once committed.</summary>
    private sealed class PendingWrite(OutgoingMessage message) : TaskCompletionSource<long>(TaskCreationOptions.None)
    {
        public OutgoingMessage Message { get; } = message;
    }

    private long NextSeq(string topic, Dictionary<string, long> updates)
    {
        var last = updates.TryGetValue(topic, out var pending) ? pending : _seqs.GetValueOrDefault(topic);
        updates[topic] = last + 1;
        return last + 1;
    }

    /// <summary>
    /// Picks what to drop so the queue fits its bound again, the newest rows already counted. Returns true when the queue
    /// goes over its bound anyway.
    /// </summary>
    private bool ChooseVictims(List<OutboxEntry> victims)
    {
        var projected = _bytes;
        if (projected <= _options.MaxBytes)
        {
            _overBound = false;
            return false;
        }

        // Superseded retained messages: a newer one for the same topic is queued or arriving now. A status
        // (birth) is only dropped when superseded too: the newest state of every retained topic always survives.
        for (var node = _retained.First; node is not null && projected > _options.MaxBytes; node = node.Next)
        {
            var entry = node.Value;
            // No newest recorded: a newer one of the topic was acknowledged already, so this one is superseded too.
            var superseded = !_newestRetained.TryGetValue(entry.Topic, out var newest) || newest != entry.Id;

            // One on the wire right now is about to be acknowledged: dropping it would free nothing real.
            if (superseded && entry.State == OutboxEntryState.Queued)
            {
                victims.Add(entry);
                projected -= entry.Size;
            }
        }

        for (var node = _replies.First; node is not null && projected > _options.MaxBytes; node = node.Next)
        {
            victims.Add(node.Value);
            projected -= node.Value.Size;
        }

        if (projected <= _options.MaxBytes)
        {
            _overBound = false;
            return false;
        }

        var crossed = !_overBound;
        _overBound = true;
        return crossed;
    }

    private void Track(OutboxEntry entry)
    {
        entry.PendingNode = _pending.AddLast(entry);
        _byId[entry.Id] = entry;
        _bytes += entry.Size;
        switch (entry.Kind)
        {
            case MessageKind.Snapshot or MessageKind.Status:
                entry.KindNode = _retained.AddLast(entry);
                _newestRetained[entry.Topic] = entry.Id;
                break;
            case MessageKind.Reply:
                entry.KindNode = _replies.AddLast(entry);
                break;
        }
    }

    private void Forget(OutboxEntry entry, OutboxEntryState state)
    {
        LeaveBacklog(entry);
        entry.State = state;
        _pending.Remove(entry.PendingNode!);
        _byId.Remove(entry.Id);
        _bytes -= entry.Size;
        if (entry.KindNode is { } kindNode)
        {
            kindNode.List!.Remove(kindNode);
            if (entry.Kind is MessageKind.Snapshot or MessageKind.Status
                && _newestRetained.TryGetValue(entry.Topic, out var newest) && newest == entry.Id)
            {
                _newestRetained.Remove(entry.Topic);
            }
        }

        if (entry.Payload is { } payload)
        {
            _memoryBytes -= payload.Length;
            entry.Payload = null;
        }
    }

    private void LeaveBacklog(OutboxEntry entry)
    {
        if (entry.InBacklog && entry.State == OutboxEntryState.Queued)
        {
            var left = _backlogPerTopic[entry.Topic] - 1;
            if (left == 0)
            {
                _backlogPerTopic.Remove(entry.Topic);
            }
            else
            {
                _backlogPerTopic[entry.Topic] = left;
            }
        }

        entry.InBacklog = false;
    }

    private OutboxEntry StartSending(OutboxEntry entry)
    {
        entry.State = OutboxEntryState.InFlight;
        if (entry.Payload is null)
        {
            LoadPayloadsFrom(entry);
        }

        return entry;
    }

    private void LoadPayloadsFrom(OutboxEntry first)
    {
        // Read the next rows in one query: the backlog is replayed in id order, so they are what comes next.
        var last = first.Id;
        var seen = 0;
        for (var node = first.PendingNode; node is not null && seen < PayloadBatch; node = node.Next, seen++)
        {
            last = node.Value.Id;
        }

        foreach (var (id, payload) in _store.LoadPayloads(first.Id, last))
        {
            if (_byId.TryGetValue(id, out var entry) && entry.Payload is null)
            {
                entry.Payload = payload;
                _memoryBytes += payload.Length;
            }
        }

        if (first.Payload is null)
        {
            throw new InvalidOperationException($"Outbox row {first.Id} ({first.Topic}) has no payload in {_options.Path}.");
        }
    }

    private void Refill()
    {
        var now = _time.GetTimestamp();
        var elapsed = _time.GetElapsedTime(_lastRefill, now).TotalSeconds;
        _lastRefill = now;
        var burst = Math.Max(1, _options.ReplayRatePerSecond / 20.0);
        _tokens = Math.Min(burst, _tokens + (elapsed * _options.ReplayRatePerSecond));
    }
}
