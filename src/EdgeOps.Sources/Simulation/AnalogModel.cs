namespace EdgeOps.Sources.Simulation;

/// <summary>
/// One simulated analog input. Vibration is a velocity waveform (mm/s) whose amplitude follows the machine's
/// activity; on the degrading machine it grows over simulated hours and bearing-like impulses become more frequent
/// (RMS and kurtosis rise). Temperature follows the load with a thermal time constant and drifts up when degrading.
/// Each input has its own random stream, so adding a sensor never changes the production sequence.
/// </summary>
internal sealed class AnalogModel
{
    /// <summary>Velocity RMS of a healthy running machine, mm/s (ISO 10816 zone A/B for a small machine).</summary>
    public const double HealthyVibrationRms = 1.8;

    private const double IdleVibrationRms = 0.15;
    private const double AmbientTemperature = 24.0;
    private const double RunningTemperatureRise = 18.0;
    private const double VibrationGrowthPerHour = 0.25;
    private const double TemperatureDriftPerHour = 1.5;
    private static readonly TimeSpan ThermalTimeConstant = TimeSpan.FromMinutes(15);

    private readonly AnalogKind _kind;
    private readonly bool _degrading;
    private readonly Random _random;
    private readonly DateTimeOffset _start;
    private double _temperature = AmbientTemperature;
    private DateTimeOffset _last;

    public AnalogModel(int handle, AnalogKind kind, bool degrading, int seed, DateTimeOffset start)
    {
        Handle = handle;
        _kind = kind;
        _degrading = degrading;
        _random = new Random(Seeds.Derive(seed, 0x5A17, handle));
        _start = start;
        _last = start;
    }

    public int Handle { get; }

    /// <summary>The next sample at <paramref name="t"/>; <paramref name="running"/> is whether the machine is cycling.</summary>
    public double Sample(DateTimeOffset t, bool running)
    {
        var hours = (t - _start).TotalHours;
        var dt = t - _last;
        _last = t;
        switch (_kind)
        {
            case AnalogKind.Vibration:
                var rms = running ? HealthyVibrationRms * (_degrading ? 1 + (VibrationGrowthPerHour * hours) : 1) : IdleVibrationRms;
                // 24.7 Hz: once per revolution of a 1480 rpm motor, the dominant line of a healthy machine.
                var phase = 2 * Math.PI * 24.7 * (t - _start).TotalSeconds;
                var value = (Math.Sqrt(2) * rms * Math.Sin(phase + (_random.NextDouble() * 0.3))) + (Gaussian() * 0.1 * rms);
                // A damaged bearing knocks: rare impulses that become common as the damage grows.
                if (_degrading && running && _random.NextDouble() < Math.Min(0.2, 0.01 * hours))
                {
                    value += Math.Sign(value) * rms * (3 + (3 * _random.NextDouble()));
                }

                return value;

            case AnalogKind.Temperature:
                var target = AmbientTemperature + (running ? RunningTemperatureRise : 0) + (_degrading ? TemperatureDriftPerHour * hours : 0);
                _temperature += (target - _temperature) * (1 - Math.Exp(-dt.TotalSeconds / ThermalTimeConstant.TotalSeconds));
                return _temperature + (Gaussian() * 0.05);

            case AnalogKind.Current:
                return (running ? 12.0 : 0.6) + (Gaussian() * 0.2);

            case AnalogKind.Pressure:
                return 6.0 + (Gaussian() * 0.05);

            default:
                return 1.0 + (Gaussian() * 0.05);
        }
    }

    // Box-Muller: System.Random has no normal distribution.
    private double Gaussian()
    {
        var u1 = 1.0 - _random.NextDouble();
        var u2 = _random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}

internal enum AnalogKind
{
    Other,
    Vibration,
    Temperature,
    Current,
    Pressure,
}
