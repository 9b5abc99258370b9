namespace EdgeOps.Core.Condition.Features;

/// <summary>
/// The features of one completed window of an analog signal (formulas in docs/condition-monitoring.md).
/// Population statistics over the window's samples; kurtosis is the plain (not excess) fourth standardized
/// moment, 3 for Gaussian noise.
/// </summary>
public sealed record ConditionFeatures
{
    /// <summary>Timestamp of the window's first sample.</summary>
    public required DateTimeOffset WindowStart { get; init; }
    /// <summary>Timestamp of the window's last sample.</summary>
    public required DateTimeOffset WindowEnd { get; init; }
    public required int SampleCount { get; init; }
    /// <summary>True when the machine was Running for every sample of the window (only such windows train the baseline).</summary>
    public required bool Running { get; init; }
    public required double Mean { get; init; }
    /// <summary>√(mean of x²), DC included.</summary>
    public required double Rms { get; init; }
    /// <summary>max |x|.</summary>
    public required double Peak { get; init; }
    /// <summary>max x − min x.</summary>
    public required double PeakToPeak { get; init; }
    /// <summary>Peak / RMS (0 for an all-zero window).</summary>
    public required double CrestFactor { get; init; }
    /// <summary>Population standard deviation.</summary>
    public required double StdDev { get; init; }
    /// <summary>m4 / m2² (0 for a constant window).</summary>
    public required double Kurtosis { get; init; }
    /// <summary>Velocity RMS in mm/s over the ISO band; null unless the input is acceleration or velocity.</summary>
    public double? VelocityRms { get; init; }
    /// <summary>ISO 10816 zone of <see cref="VelocityRms"/>; null without a configured machine class.</summary>
    public IsoZone? Zone { get; init; }
    /// <summary>Energies of the configured bands, in configuration order.</summary>
    public IReadOnlyList<BandEnergy> Bands { get; init; } = [];
}
