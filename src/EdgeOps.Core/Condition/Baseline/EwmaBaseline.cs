namespace EdgeOps.Core.Condition.Baseline;

/// <summary>
/// The normal level and spread of one feature: the plain mean and variance of the first
/// <c>warmup</c> observations, then an exponentially weighted mean and variance. After warm-up each update is
/// winsorized at <c>gate</c> standard deviations, so a developing fault moves the baseline only slowly and keeps
/// a high score, while a genuine new normal is still learned within a few half-lives.
/// </summary>
public sealed class EwmaBaseline
{
    private readonly double _alpha;
    private readonly int _warmup;
    private readonly double _gate;
    private readonly double _minRelativeStd;
    private double _mean;
    private double _variance;
    private long _count;

    /// <param name="alpha">EWMA weight of a new observation after warm-up (0 &lt; α ≤ 1).</param>
    /// <param name="warmup">Observations averaged plainly before a score is given (at least 2).</param>
    /// <param name="gate">Deviation, in standard deviations, at which an update is clipped.</param>
    /// <param name="minRelativeStd">Floor of the standard deviation relative to |mean|, so a very steady feature does not turn noise into huge scores.</param>
    public EwmaBaseline(double alpha, int warmup, double gate = 3.0, double minRelativeStd = 0.01)
    {
        if (!(alpha > 0 && alpha <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "EWMA weight must be in (0, 1].");
        }

        _alpha = alpha;
        _warmup = Math.Max(2, warmup);
        _gate = gate;
        _minRelativeStd = minRelativeStd;
    }

    /// <summary>EWMA weight for a half-life, given how much running time one observation stands for.</summary>
    public static double AlphaForHalfLife(TimeSpan step, TimeSpan halfLife) =>
        halfLife <= TimeSpan.Zero ? 1 : Math.Min(1, 1 - Math.Pow(2, -step.TotalSeconds / halfLife.TotalSeconds));

    public double Mean => _mean;

    public double Variance => _variance;

    /// <summary>Observations learned so far.</summary>
    public long Count => _count;

    /// <summary>True once warm-up is over and <see cref="Score"/> gives numbers.</summary>
    public bool IsWarm => _count >= _warmup;

    /// <summary>The z-score of <paramref name="value"/> against the baseline; NaN during warm-up.</summary>
    public double Score(double value) => IsWarm ? (value - _mean) / Spread() : double.NaN;

    /// <summary>Learns one observation. Call only for windows taken while the machine was Running.</summary>
    public void Learn(double value)
    {
        if (!double.IsFinite(value))
        {
            return;
        }

        _count++;
        if (_count <= _warmup)
        {
            // Welford: the running mean and (population) variance of the warm-up observations.
            var delta = value - _mean;
            _mean += delta / _count;
            _variance += ((delta * (value - _mean)) - _variance) / _count;
            return;
        }

        var limit = _gate * Spread();
        var diff = Math.Clamp(value - _mean, -limit, limit);
        var increment = _alpha * diff;
        _mean += increment;
        _variance = (1 - _alpha) * (_variance + (diff * increment));
    }

    /// <summary>The state to checkpoint.</summary>
    public (double Mean, double Variance, long Count) Save() => (_mean, _variance, _count);

    /// <summary>Restores a checkpointed state.</summary>
    public void Restore(double mean, double variance, long count)
    {
        _mean = mean;
        _variance = Math.Max(0, variance);
        _count = Math.Max(0, count);
    }

    private double Spread() => Math.Max(Math.Sqrt(_variance), Math.Max(_minRelativeStd * Math.Abs(_mean), 1e-12));
}
