namespace EdgeOps.Contract.Payloads;

/// <summary><c>.../{machine}/condition/{signal}</c>, retained: one window's condition features of an analog signal.</summary>
public sealed record ConditionPayload : PayloadBase
{
    /// <inheritdoc />
    public override string Schema => PayloadSchemas.Condition;

    /// <summary>Machine id.</summary>
    public required string Machine { get; init; }

    /// <summary>Signal name (the last topic level).</summary>
    public required string Signal { get; init; }

    /// <summary>Unit of the signal's values.</summary>
    public string? Unit { get; init; }

    /// <summary>Window length, seconds.</summary>
    public required double WindowS { get; init; }

    /// <summary>Timestamp of the window's first sample.</summary>
    public DateTimeOffset? WindowStart { get; init; }

    /// <summary>Timestamp of the window's last sample.</summary>
    public DateTimeOffset? WindowEnd { get; init; }

    /// <summary>True when the machine was Running for every sample of the window (only such windows are scored).</summary>
    public bool? Running { get; init; }

    /// <summary>Samples in the window.</summary>
    public required int Samples { get; init; }

    /// <summary>Mean.</summary>
    public required double Mean { get; init; }

    /// <summary>Root mean square.</summary>
    public required double Rms { get; init; }

    /// <summary>Largest absolute value.</summary>
    public required double Peak { get; init; }

    /// <summary>Max - min.</summary>
    public required double PeakToPeak { get; init; }

    /// <summary>Peak / RMS.</summary>
    public double? CrestFactor { get; init; }

    /// <summary>Population standard deviation.</summary>
    public double? StdDev { get; init; }

    /// <summary>Kurtosis (3 for a Gaussian).</summary>
    public double? Kurtosis { get; init; }

    /// <summary>Vibration velocity RMS, mm/s, when the signal is a vibration.</summary>
    public double? VelocityRmsMmS { get; init; }

    /// <summary>ISO 10816/20816 zone A-D for vibration.</summary>
    public string? Zone { get; init; }

    /// <summary>ISO 10816-1 machine class the zone is for (I-IV).</summary>
    public string? IsoClass { get; init; }

    /// <summary>FFT band energies (mean square, unit²) by configured band name.</summary>
    public IReadOnlyDictionary<string, double>? Bands { get; init; }

    /// <summary>EWMA z-score against the baseline (max |z| over the features); null while warming up or not running.</summary>
    public double? AnomalyScore { get; init; }

    /// <summary>The feature with the largest |z|.</summary>
    public string? AnomalyFeature { get; init; }

    /// <summary>Running windows the baseline has learned.</summary>
    public long? BaselineWindows { get; init; }

    /// <summary>Trend slope, signal units per hour.</summary>
    public double? TrendPerHour { get; init; }

    /// <summary>Hours until the trend reaches its configured threshold (0 when at or past it); null when moving away.</summary>
    public double? HoursToThreshold { get; init; }
}
