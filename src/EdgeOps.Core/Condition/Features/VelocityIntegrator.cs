namespace EdgeOps.Core.Condition.Features;

/// <summary>
/// Acceleration (m/s²) to velocity (mm/s): high-pass, integration, high-pass again. The first
/// high-pass removes DC and sub-band content that integration would turn into a ramp; the second removes the
/// drift that integration still accumulates from rounding and the filter's residue. Each stage sits at
/// <see cref="StageCutoffFactor"/> × the band edge, so the two together are −3 dB at the edge (as one
/// Butterworth stage would be) and within 1 % from 2.5 × the edge up. The integrator is Al-Alaoui's
/// (7/8 rectangular + 1/8 trapezoidal): its gain stays within 2 % of 1/ω up to a quarter of the sample rate,
/// where the plain trapezoid is already 21 % low.
/// </summary>
internal struct VelocityIntegrator
{
    private HighPassFilter _before;
    private HighPassFilter _after;
    private readonly double _stepMm;
    private double _previousAcceleration;
    private double _velocity;
    private bool _started;

    /// <summary>(√2 − 1)^¼: two cascaded stages at this fraction of fc give |H(fc)|² = ½.</summary>
    public static readonly double StageCutoffFactor = Math.Pow(Math.Sqrt(2) - 1, 0.25);

    public VelocityIntegrator(double highPassHz, double sampleRate)
    {
        _before = new HighPassFilter(highPassHz * StageCutoffFactor, sampleRate);
        _after = new HighPassFilter(highPassHz * StageCutoffFactor, sampleRate);
        _stepMm = 1000.0 / sampleRate / 8; // m/s → mm/s and the integrator's T/8 in one factor
        _previousAcceleration = 0;
        _velocity = 0;
        _started = false;
    }

    /// <summary>Takes one acceleration sample in m/s², returns the band-limited velocity in mm/s.</summary>
    public double Process(double acceleration)
    {
        var a = _before.Process(acceleration);
        if (_started)
        {
            _velocity += ((7 * a) + _previousAcceleration) * _stepMm;
        }

        _started = true;
        _previousAcceleration = a;
        return _after.Process(_velocity);
    }

    public void Reset()
    {
        _before.Reset();
        _after.Reset();
        _previousAcceleration = 0;
        _velocity = 0;
        _started = false;
    }
}
