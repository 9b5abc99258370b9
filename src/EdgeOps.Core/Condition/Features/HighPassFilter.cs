namespace EdgeOps.Core.Condition.Features;

/// <summary>
/// Second-order Butterworth high-pass (a biquad after the RBJ audio-EQ cookbook, transposed direct form II).
/// A mutable struct kept in a field: filtering a sample touches no heap.
/// </summary>
internal struct HighPassFilter
{
    private readonly double _b0;
    private readonly double _b1;
    private readonly double _b2;
    private readonly double _a1;
    private readonly double _a2;
    private double _z1;
    private double _z2;
    private bool _primed;

    public HighPassFilter(double cutoffHz, double sampleRate)
    {
        if (!(cutoffHz > 0) || !(cutoffHz < sampleRate / 2))
        {
            throw new ArgumentOutOfRangeException(nameof(cutoffHz), cutoffHz, $"High-pass cutoff must be above 0 and below half the sample rate ({sampleRate / 2} Hz).");
        }

        var w0 = 2 * Math.PI * cutoffHz / sampleRate;
        var cos = Math.Cos(w0);
        var alpha = Math.Sin(w0) / (2 * Math.Sqrt(0.5)); // Q = 1/√2: Butterworth, no peaking at the corner
        var a0 = 1 + alpha;
        _b0 = (1 + cos) / 2 / a0;
        _b1 = -(1 + cos) / a0;
        _b2 = _b0;
        _a1 = -2 * cos / a0;
        _a2 = (1 - alpha) / a0;
        _z1 = 0;
        _z2 = 0;
        _primed = false;
    }

    public double Process(double x)
    {
        if (!_primed)
        {
            // Start in the steady state of a constant input (output 0): a DC offset such as gravity on a
            // DC-coupled accelerometer then gives no start-up transient to integrate into a false velocity.
            _z1 = -_b0 * x;
            _z2 = _b2 * x;
            _primed = true;
        }

        var y = (_b0 * x) + _z1;
        _z1 = (_b1 * x) - (_a1 * y) + _z2;
        _z2 = (_b2 * x) - (_a2 * y);
        return y;
    }

    public void Reset()
    {
        _z1 = 0;
        _z2 = 0;
        _primed = false;
    }
}
