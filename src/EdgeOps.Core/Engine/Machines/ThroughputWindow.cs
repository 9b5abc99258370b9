namespace EdgeOps.Core.Engine.Machines;

/// <summary>
/// Counts per second over the last 15 minutes in a ring of one-second buckets: adding is O(1) and allocation-free,
/// a 1 or 15 minute sum reads 60 or 900 buckets.
/// </summary>
internal sealed class ThroughputWindow
{
    public const int Seconds = 900;
    private readonly Bucket[] _buckets = new Bucket[Seconds];

    public ThroughputWindow()
    {
        for (var i = 0; i < _buckets.Length; i++)
        {
            _buckets[i].Second = long.MinValue;
        }
    }

    // The bucket of the last add: most counts land in the same second as the previous one, so skip the 64-bit
    // divisions then.
    private long _cachedStart = -TimeSpan.TicksPerDay;
    private long _cachedSecond;
    private int _cachedIndex;

    public void Add(long ticks, int role, long n)
    {
        int i;
        long second;
        var offset = ticks - _cachedStart;
        if (offset is >= 0 and < TimeSpan.TicksPerSecond)
        {
            i = _cachedIndex;
            second = _cachedSecond;
        }
        else
        {
            second = ticks / TimeSpan.TicksPerSecond;
            i = (int)(second % Seconds);
            _cachedSecond = second;
            _cachedStart = second * TimeSpan.TicksPerSecond;
            _cachedIndex = i;
        }

        ref var bucket = ref _buckets[i];
        if (bucket.Second != second)
        {
            if (bucket.Second > second)
            {
                return; // older than the window
            }

            bucket = new Bucket { Second = second };
        }

        switch (role)
        {
            case 0: bucket.Total += n; break;
            case 1: bucket.Good += n; break;
            case 2: bucket.Reject += n; break;
            default: break;
        }
    }

    /// <summary>Sums of the <paramref name="seconds"/> one-second buckets ending with the one holding <paramref name="nowTicks"/>.</summary>
    public (long Total, long Good, long Reject) Sum(long nowTicks, int seconds)
    {
        var nowSecond = nowTicks / TimeSpan.TicksPerSecond;
        long total = 0, good = 0, reject = 0;
        for (var s = nowSecond - seconds + 1; s <= nowSecond; s++)
        {
            var i = (int)(((s % Seconds) + Seconds) % Seconds);
            ref readonly var bucket = ref _buckets[i];
            if (bucket.Second == s)
            {
                total += bucket.Total;
                good += bucket.Good;
                reject += bucket.Reject;
            }
        }

        return (total, good, reject);
    }

    private struct Bucket
    {
        public long Second;
        public long Total;
        public long Good;
        public long Reject;
    }
}
