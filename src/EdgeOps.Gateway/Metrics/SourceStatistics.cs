using System.Collections.Concurrent;
using System.Threading.Channels;
using EdgeOps.Core.Signals;

namespace EdgeOps.Gateway.Metrics;

/// <summary>
/// What each source delivered: signals written, and per input whether its last value was good or bad (for an OPC UA
/// source: its good and bad items). Filled by <see cref="Tap"/>, a pass-through writer between a source and the
/// engine's channel, so every source kind is measured the same way without knowing about metrics.
/// </summary>
public sealed class SourceStatistics
{
    private readonly ConcurrentDictionary<string, Counters> _sources = new(StringComparer.Ordinal);
    private readonly int _handles;

    /// <param name="handles">Number of signals in the line's catalog (handles are 0..handles-1).</param>
    public SourceStatistics(int handles) => _handles = handles;

    /// <summary>Sources seen so far and their counters.</summary>
    public IEnumerable<KeyValuePair<string, Counters>> Sources => _sources;

    /// <summary>A writer to hand <paramref name="source"/> instead of <paramref name="inner"/>: counts what passes.</summary>
    public ChannelWriter<Signal> Tap(string source, ChannelWriter<Signal> inner) =>
        new CountingWriter(inner, _sources.GetOrAdd(source, _ => new Counters(_handles)));

    /// <summary>One source's counters; thread-safe (GPIO edges arrive on driver threads).</summary>
    public sealed class Counters
    {
        private readonly int[] _quality; // 0 unseen, 1 good (or uncertain), 2 bad
        private long _signals;
        private int _good;
        private int _bad;

        internal Counters(int handles) => _quality = new int[handles];

        public long Signals => Interlocked.Read(ref _signals);

        /// <summary>Inputs whose last value was good or uncertain.</summary>
        public int GoodItems => Volatile.Read(ref _good);

        /// <summary>Inputs whose last value was bad (link lost, node unknown, sensor not answering).</summary>
        public int BadItems => Volatile.Read(ref _bad);

        internal void Observe(in Signal signal)
        {
            Interlocked.Increment(ref _signals);
            if ((uint)signal.Handle >= (uint)_quality.Length)
            {
                return;
            }

            var now = signal.Quality == SignalQuality.Bad ? 2 : 1;
            var before = Interlocked.Exchange(ref _quality[signal.Handle], now);
            if (before == now)
            {
                return;
            }

            if (before == 1)
            {
                Interlocked.Decrement(ref _good);
            }
            else if (before == 2)
            {
                Interlocked.Decrement(ref _bad);
            }

            Interlocked.Increment(ref now == 1 ? ref _good : ref _bad);
        }
    }

    private sealed class CountingWriter(ChannelWriter<Signal> inner, Counters counters) : ChannelWriter<Signal>
    {
        public override bool TryWrite(Signal item)
        {
            if (!inner.TryWrite(item))
            {
                return false;
            }

            counters.Observe(item);
            return true;
        }

        public override ValueTask<bool> WaitToWriteAsync(CancellationToken cancellationToken = default) =>
            inner.WaitToWriteAsync(cancellationToken);

        // A source never completes the shared channel: the engine loop owns its lifetime.
        public override bool TryComplete(Exception? error = null) => false;
    }
}
