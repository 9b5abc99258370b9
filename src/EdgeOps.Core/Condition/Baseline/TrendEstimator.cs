namespace EdgeOps.Core.Condition.Baseline;

/// <summary>
/// Least-squares line through the (time, value) points of the last <c>window</c>, kept in a preallocated ring:
/// the slope per hour and, for a threshold, the projected time until the fitted line reaches it.
/// </summary>
public sealed class TrendEstimator
{
    private const int MinimumPoints = 3;
    private readonly TimeSpan _window;
    private readonly long[] _ticks;
    private readonly double[] _values;
    private int _head;
    private int _count;

    /// <param name="window">How far back the fit looks.</param>
    /// <param name="capacity">Most points the window can hold (window ÷ feature window, plus one).</param>
    public TrendEstimator(TimeSpan window, int capacity)
    {
        if (window <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(window), window, "condition.trend.window must be positive.");
        }

        _window = window;
        _ticks = new long[Math.Max(capacity, MinimumPoints)];
        _values = new double[_ticks.Length];
    }

    public int Count => _count;

    /// <summary>Slope of the fit in value units per hour; null until three points span some time.</summary>
    public double? SlopePerHour { get; private set; }

    /// <summary>The fitted value at the newest point; null like <see cref="SlopePerHour"/>.</summary>
    public double? Current { get; private set; }

    public void Add(DateTimeOffset at, double value)
    {
        if (!double.IsFinite(value))
        {
            return;
        }

        var ticks = at.UtcTicks;
        if (_count > 0 && ticks < _ticks[Newest()])
        {
            return; // out of order: the fit assumes time moves forward
        }

        if (_count == _ticks.Length)
        {
            _head = (_head + 1) % _ticks.Length;
            _count--;
        }

        var index = (_head + _count) % _ticks.Length;
        _ticks[index] = ticks;
        _values[index] = value;
        _count++;
        var oldest = ticks - _window.Ticks;
        while (_count > 0 && _ticks[_head] < oldest)
        {
            _head = (_head + 1) % _ticks.Length;
            _count--;
        }

        Fit();
    }

    /// <summary>
    /// Hours until the fitted line reaches <paramref name="threshold"/>: 0 when it is already there or past,
    /// null when the trend points away from it (or there is no trend yet).
    /// </summary>
    public double? HoursTo(double threshold)
    {
        if (SlopePerHour is not { } slope || Current is not { } current)
        {
            return null;
        }

        var remaining = threshold - current;
        if (remaining == 0)
        {
            return 0;
        }

        if (slope == 0 || Math.Sign(remaining) != Math.Sign(slope))
        {
            return null;
        }

        return remaining / slope;
    }

    private int Newest() => (_head + _count - 1) % _ticks.Length;

    private void Fit()
    {
        SlopePerHour = null;
        Current = null;
        if (_count < MinimumPoints)
        {
            return;
        }

        // Hours relative to the newest point keep the sums small and exact enough.
        var newest = _ticks[Newest()];
        var sumT = 0.0;
        var sumY = 0.0;
        for (var i = 0; i < _count; i++)
        {
            var k = (_head + i) % _ticks.Length;
            sumT += (_ticks[k] - newest) / (double)TimeSpan.TicksPerHour;
            sumY += _values[k];
        }

        var meanT = sumT / _count;
        var meanY = sumY / _count;
        var sxx = 0.0;
        var sxy = 0.0;
        for (var i = 0; i < _count; i++)
        {
            var k = (_head + i) % _ticks.Length;
            var dt = ((_ticks[k] - newest) / (double)TimeSpan.TicksPerHour) - meanT;
            sxx += dt * dt;
            sxy += dt * (_values[k] - meanY);
        }

        if (sxx <= 0)
        {
            return;
        }

        var slope = sxy / sxx;
        SlopePerHour = slope;
        Current = meanY + (slope * (0 - meanT));
    }
}
