namespace EdgeOps.Publishing.Outbox;

/// <summary>
/// The in-flight window of a sender draining the <see cref="DurableOutbox"/> (the JSON contract's publisher and the
/// Sparkplug session): how many PUBLISHes may wait for their PUBACK, and the doorbell that wakes the sender when the
/// window has room again. The sender waits only when the window is full and is woken once a 32nd of it is free (8 of
/// 256), so it takes a few messages under one lock rather than one per PUBACK, and the window stays nearly full the way
/// a plain publish loop keeps it. (Woken at a quarter free, it sent bursts of 64 into MQTTnet's send lock and fell to
/// 50-70 % of the plain loop in the sparkplug-ddata harness; at a 32nd, 88 %: docs/PERFORMANCE.md "Sparkplug B".)
/// </summary>
internal sealed class SendWindow(int maxInFlight)
{
    private readonly Doorbell _opened = new();
    private int _inFlight;

    /// <summary>How many messages may be in flight (at least 1).</summary>
    public int Capacity { get; } = Math.Max(1, maxInFlight);

    /// <summary>Messages handed to the client and not yet answered.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Room left in the window (0 or less: wait with <see cref="WaitOpenedAsync"/>).</summary>
    public int Free => Capacity - InFlight;

    /// <summary>Counts <paramref name="count"/> messages handed to the client.</summary>
    public void Add(int count = 1) => Interlocked.Add(ref _inFlight, count);

    /// <summary>One message answered (acknowledged, refused or lost with the connection).</summary>
    public void Release() => Release(1);

    /// <summary><paramref name="count"/> messages answered at once (a run of PUBACKs).</summary>
    public void Release(int count)
    {
        if (count <= 0)
        {
            return;
        }

        // Rings when this release crosses the mark, whether it lands on it or jumps past it.
        var threshold = Capacity - Math.Max(1, Capacity / 32);
        var after = Interlocked.Add(ref _inFlight, -count);
        if (after <= threshold && after + count > threshold)
        {
            _opened.Ring();
        }
    }

    /// <summary>Waits until <see cref="Release"/> has freed a 32nd of a full window.</summary>
    public Task WaitOpenedAsync(CancellationToken cancellationToken) => _opened.WaitAsync(Timeout.InfiniteTimeSpan, cancellationToken);

    /// <summary>
    /// At stop: gives the messages in flight up to <paramref name="limit"/> for their PUBACK while
    /// <paramref name="connected"/> holds, so a clean stop does not leave them to be sent again at the next start.
    /// </summary>
    public async Task DrainAsync(Func<bool> connected, TimeProvider time, TimeSpan limit, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + limit;
        while (connected() && InFlight > 0 && time.GetUtcNow() < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Every <paramref name="interval"/>, deletes the rows the PUBACKs acknowledged in one transaction
    /// (<see cref="DurableOutbox.FlushAcknowledged"/>) until cancelled; a failure is reported to
    /// <paramref name="failed"/> and the loop goes on.
    /// </summary>
    public static async Task FlushAcknowledgedAsync(DurableOutbox outbox, TimeSpan interval, TimeProvider time, Action<Exception> failed,
        CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, time, cancellationToken).ConfigureAwait(false);
                outbox.FlushAcknowledged();
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                failed(ex);
            }
        }
    }
}
