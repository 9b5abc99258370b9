using EdgeOps.Publishing.Outbox;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace EdgeOps.Publishing.Mqtt;

/// <summary>
/// The engine loop's writes to the outbox when the outbox may refuse them (disk full, read-only file system, I/O
/// error): a batch that must not be lost (events) is held, in order, and written before anything else on a later call;
/// a batch that is retaken anyway (a snapshot) is only reported as not written. Nothing was committed when a write is
/// refused (the transaction rolled back), so a held batch gets the same seqs when it is written. One caller thread.
/// </summary>
internal sealed class HeldWrites(DurableOutbox outbox, ILogger logger)
{
    private readonly Queue<List<OutgoingMessage>> _held = new();
    private int _messages;
    private bool _failing;

    /// <summary>Messages held, waiting for the outbox (read from any thread, for metrics).</summary>
    public int Messages => Volatile.Read(ref _messages);

    /// <summary>Holds <paramref name="batch"/> behind any held before and writes what it can; <paramref name="written"/> sees each batch written.</summary>
    public void Hold(List<OutgoingMessage> batch, Action<List<OutgoingMessage>, IReadOnlyList<long>>? written = null)
    {
        _held.Enqueue(batch);
        Volatile.Write(ref _messages, _messages + batch.Count);
        WriteHeld(written);
    }

    /// <summary>Writes the held batches in order; false when the outbox still refuses (they stay held).</summary>
    public bool WriteHeld(Action<List<OutgoingMessage>, IReadOnlyList<long>>? written = null)
    {
        while (_held.TryPeek(out var batch))
        {
            if (TryWrite(batch) is not { } seqs)
            {
                return false;
            }

            _held.Dequeue();
            Volatile.Write(ref _messages, _messages - batch.Count);
            written?.Invoke(batch, seqs);
        }

        return true;
    }

    /// <summary>One write; null when the outbox refused it (logged once per outage, and once when it writes again).</summary>
    public IReadOnlyList<long>? TryWrite(List<OutgoingMessage> batch)
    {
        try
        {
            var seqs = outbox.EnqueueBatch(batch);
            if (_failing && _held.Count <= 1)
            {
                _failing = false;
                HeldWritesLog.WritesResumed(logger, outbox.Path);
            }

            return seqs;
        }
        catch (Exception ex) when (ex is SqliteException or IOException)
        {
            if (!_failing)
            {
                _failing = true;
                HeldWritesLog.WriteFailed(logger, outbox.Path, ex.Message);
            }

            return null;
        }
    }
}

/// <summary>Held-write log messages, EventIds 3090-3094.</summary>
internal static partial class HeldWritesLog
{
    [LoggerMessage(EventId = 3090, Level = LogLevel.Error, Message = "Outbox {Path} refused a write ({Reason}): events are held in memory and written in order once it can write again; snapshots are retaken")]
    public static partial void WriteFailed(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 3091, Level = LogLevel.Information, Message = "Outbox {Path} writes again: every held event is written")]
    public static partial void WritesResumed(ILogger logger, string path);
}
