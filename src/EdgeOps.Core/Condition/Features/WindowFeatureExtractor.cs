using EdgeOps.Core.Model;

namespace EdgeOps.Core.Condition.Features;

/// <summary>
/// Streams one analog signal a sample at a time and emits <see cref="ConditionFeatures"/> per completed window
/// of Window × SampleRate samples. Buffers are allocated once: adding a sample allocates nothing; completing a
/// window allocates the result record (and its band array when bands are configured).
/// </summary>
public sealed class WindowFeatureExtractor
{
    private readonly ConditionDefinition _definition;
    private readonly double[] _samples;
    private readonly BandEnergyAnalyzer? _bands;
    private readonly double[] _bandScratch;
    private readonly bool _hasVelocity;
    private readonly bool _filtersVelocity;
    private VelocityIntegrator _integrator;
    private HighPassFilter _velocityFilter;
    private int _count;
    private double _velocitySquares;
    private bool _allRunning;
    private DateTimeOffset _start;

    public WindowFeatureExtractor(ConditionDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (!(definition.SampleRate > 0) || double.IsInfinity(definition.SampleRate))
        {
            throw new ArgumentException($"condition.sampleRate must be a positive number of Hz, not {definition.SampleRate}.", nameof(definition));
        }

        var length = (int)Math.Round(definition.Window.TotalSeconds * definition.SampleRate);
        if (length < 2)
        {
            throw new ArgumentException(
                $"condition.window ({definition.Window}) × sampleRate ({definition.SampleRate} Hz) must hold at least 2 samples.", nameof(definition));
        }

        _definition = definition;
        _samples = new double[length];
        _hasVelocity = definition.Input != ConditionInput.Generic;
        if (definition.Input is ConditionInput.Acceleration or ConditionInput.Velocity)
        {
            var nyquist = definition.SampleRate / 2;
            var allowsZero = definition.Input == ConditionInput.Velocity;
            if (!(definition.HighPassHz < nyquist) || !(allowsZero ? definition.HighPassHz >= 0 : definition.HighPassHz > 0))
            {
                throw new ArgumentException(
                    $"condition.highPassHz ({definition.HighPassHz}) must be {(allowsZero ? "0 (off) or more" : "above 0")} and below half the sample rate ({nyquist} Hz).",
                    nameof(definition));
            }
        }

        if (definition.Input == ConditionInput.Acceleration)
        {
            _integrator = new VelocityIntegrator(definition.HighPassHz, definition.SampleRate);
            _filtersVelocity = true;
        }
        else if (definition.Input == ConditionInput.Velocity && definition.HighPassHz > 0)
        {
            _velocityFilter = new HighPassFilter(definition.HighPassHz, definition.SampleRate);
            _filtersVelocity = true;
        }

        if (definition.Bands.Count > 0)
        {
            ValidateBands(definition);
            _bands = new BandEnergyAnalyzer(definition.Bands, definition.SampleRate, length);
        }

        _bandScratch = new double[definition.Bands.Count];
        _allRunning = true;
    }

    /// <summary>Samples per window.</summary>
    public int WindowLength => _samples.Length;

    /// <summary>FFT size used for band energies (0 without bands).</summary>
    public int FftSize => _bands?.FftSize ?? 0;

    /// <summary>Samples in the window being filled.</summary>
    public int Pending => _count;

    /// <summary>Adds a sample; returns the window's features when this sample completes it, otherwise null.</summary>
    public ConditionFeatures? Add(double value, DateTimeOffset at, bool machineRunning = true)
    {
        if (_count == 0)
        {
            _start = at;
            _allRunning = true;
        }

        _samples[_count++] = value;
        _allRunning &= machineRunning;
        if (_filtersVelocity)
        {
            var v = _definition.Input == ConditionInput.Acceleration ? _integrator.Process(value) : _velocityFilter.Process(value);
            _velocitySquares += v * v;
        }

        return _count == _samples.Length ? Complete(at) : null;
    }

    /// <summary>
    /// Drops the partial window and the filters' memory, e.g. after a bad-quality sample or a gap: features
    /// over a hole in the data would be wrong, and the integrator would carry the old signal across it.
    /// </summary>
    public void Restart()
    {
        _count = 0;
        _velocitySquares = 0;
        _integrator.Reset();
        _velocityFilter.Reset();
    }

    private ConditionFeatures Complete(DateTimeOffset end)
    {
        var n = _samples.Length;
        var sum = 0.0;
        var min = double.PositiveInfinity;
        var max = double.NegativeInfinity;
        var sumSquares = 0.0;
        for (var i = 0; i < n; i++)
        {
            var x = _samples[i];
            sum += x;
            sumSquares += x * x;
            min = Math.Min(min, x);
            max = Math.Max(max, x);
        }

        var mean = sum / n;
        // Central moments in a second pass: the one-pass formula loses everything to cancellation when a
        // small vibration rides on a large offset (gravity, a 4–20 mA bias).
        var m2 = 0.0;
        var m4 = 0.0;
        for (var i = 0; i < n; i++)
        {
            var d = _samples[i] - mean;
            var d2 = d * d;
            m2 += d2;
            m4 += d2 * d2;
        }

        m2 /= n;
        m4 /= n;
        var rms = Math.Sqrt(sumSquares / n);
        var peak = Math.Max(Math.Abs(min), Math.Abs(max));
        double? velocityRms = _definition.Input switch
        {
            ConditionInput.Acceleration => Math.Sqrt(_velocitySquares / n),
            ConditionInput.Velocity => _filtersVelocity ? Math.Sqrt(_velocitySquares / n) : Math.Sqrt(m2),
            ConditionInput.VelocityRms => mean,
            _ => null,
        };
        IsoZone? zone = velocityRms is { } v && _definition.IsoClass is { } isoClass ? IsoZoneClassifier.Classify(v, isoClass) : null;
        IReadOnlyList<BandEnergy> bands = [];
        if (_bands is not null)
        {
            _bands.Compute(_samples, mean, _bandScratch);
            var result = new BandEnergy[_bandScratch.Length];
            for (var b = 0; b < result.Length; b++)
            {
                result[b] = new BandEnergy(_definition.Bands[b].Name, _bandScratch[b]);
            }

            bands = result;
        }

        var features = new ConditionFeatures
        {
            WindowStart = _start,
            WindowEnd = end,
            SampleCount = n,
            Running = _allRunning,
            Mean = mean,
            Rms = rms,
            Peak = peak,
            PeakToPeak = max - min,
            CrestFactor = rms > 0 ? peak / rms : 0,
            StdDev = Math.Sqrt(m2),
            Kurtosis = m2 > 0 ? m4 / (m2 * m2) : 0,
            VelocityRms = velocityRms,
            Zone = zone,
            Bands = bands,
        };
        _count = 0;
        _velocitySquares = 0;
        return features;
    }

    private static void ValidateBands(ConditionDefinition definition)
    {
        var nyquist = definition.SampleRate / 2;
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var b = 0; b < definition.Bands.Count; b++)
        {
            var band = definition.Bands[b];
            if (!names.Add(band.Name))
            {
                throw new ArgumentException($"condition.bands[{b}].name '{band.Name}' is used twice.", nameof(definition));
            }

            if (!(band.LowHz >= 0) || !(band.HighHz > band.LowHz) || band.HighHz > nyquist)
            {
                throw new ArgumentException(
                    $"condition.bands[{b}] '{band.Name}' must satisfy 0 ≤ lowHz < highHz ≤ {nyquist} Hz (half the sample rate); got {band.LowHz}..{band.HighHz}.",
                    nameof(definition));
            }
        }
    }
}
