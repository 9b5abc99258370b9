using System.Threading.Channels;
using EdgeOps.Core.Signals;

namespace EdgeOps.Sources.Gpio;

/// <summary>
/// Hands signals from interrupt callbacks (which must never block) to the engine's channel without losing one.
/// While the channel has room a signal goes straight in. When it is full, signals queue here in order, and
/// consecutive pulses of one input merge into one signal carrying their sum (an accumulator, so a stalled engine
/// costs memory per state change, not per edge). <see cref="RunAsync"/> drains the queue with back-pressure.
/// </summary>
public sealed class SignalOutbox
{
    private readonly Lock _lock = new();
    // A linked list: the drain takes the head, a merge rewrites the tail, both O(1).
    private readonly LinkedList<Entry> _pending = new();
    private readonly SemaphoreSlim _wake = new(0, int.MaxValue);
    private ChannelWriter<Signal>? _output;
    private bool _inFlight;
    private long _written;
    private long _queued;

    /// <summary>Signals (after merging) handed to the channel so far.</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>Signals that had to wait because the channel was full.</summary>
    public long Queued => Interlocked.Read(ref _queued);

    /// <summary>Signals waiting now.</summary>
    public int Pending
    {
        get
        {
            lock (_lock)
            {
                return _pending.Count + (_inFlight ? 1 : 0);
            }
        }
    }

    /// <summary>Connects the outbox to the engine's channel. Signals offered before this wait in the queue.</summary>
    public void Attach(ChannelWriter<Signal> output)
    {
        lock (_lock)
        {
            _output = output;
        }

        _wake.Release();
    }

    /// <summary>Offers a pulse (<paramref name="signal"/>.Value = increment). Never blocks, never drops.</summary>
    public void OfferPulse(in Signal signal) => Offer(signal, mergeable: true);

    /// <summary>Offers a level or reading. Never blocks, never drops; never merged.</summary>
    public void OfferValue(in Signal signal) => Offer(signal, mergeable: false);

    private void Offer(in Signal signal, bool mergeable)
    {
        lock (_lock)
        {
            if (_pending.Count == 0 && !_inFlight && _output is not null && _output.TryWrite(signal))
            {
                _written++;
                return;
            }

            _queued++;
            if (mergeable && _pending.Count > 0)
            {
                // Only the tail may absorb the pulse: merging further back would reorder it past later states.
                var tail = _pending.Last!;
                if (tail.Value.Mergeable && tail.Value.Signal.Handle == signal.Handle)
                {
                    tail.Value = new Entry(tail.Value.Signal with { Value = tail.Value.Signal.Value + signal.Value, Timestamp = signal.Timestamp }, true);
                    return;
                }
            }

            _pending.AddLast(new Entry(signal, mergeable));
        }

        _wake.Release();
    }

    /// <summary>Drains queued signals into the channel, awaiting room. Runs until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await _wake.WaitAsync(cancellationToken).ConfigureAwait(false);
            while (true)
            {
                Signal next;
                ChannelWriter<Signal> output;
                lock (_lock)
                {
                    if (_output is null || _pending.First is not { } head)
                    {
                        break;
                    }

                    _pending.RemoveFirst();
                    next = head.Value.Signal;
                    output = _output;
                    _inFlight = true;
                }

                try
                {
                    await output.WriteAsync(next, cancellationToken).ConfigureAwait(false);
                }
                catch
                {
                    // Cancelled or the channel closed: put the signal back at the head so nothing is lost from our count.
                    lock (_lock)
                    {
                        _pending.AddFirst(new Entry(next, false));
                        _inFlight = false;
                    }

                    throw;
                }

                lock (_lock)
                {
                    _inFlight = false;
                    _written++;
                }
            }
        }
    }

    private readonly record struct Entry(Signal Signal, bool Mergeable);
}
