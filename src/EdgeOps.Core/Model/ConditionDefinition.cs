namespace EdgeOps.Core.Model;

/// <summary>What an analog signal measures, as far as condition monitoring cares.</summary>
public enum ConditionInput
{
    /// <summary>Any quantity (temperature, current, pressure): window features only.</summary>
    Generic,
    /// <summary>Acceleration in m/s²: also integrated to velocity (mm/s) and classified into ISO zones.</summary>
    Acceleration,
    /// <summary>
    /// A velocity waveform in mm/s: high-passed at <see cref="ConditionDefinition.HighPassHz"/> (0: no filter, the
    /// window's standard deviation) and its RMS classified into ISO zones.
    /// </summary>
    Velocity,
    /// <summary>Velocity RMS in mm/s computed by the sensor (a 4–20 mA vibration transmitter): the window mean is classified.</summary>
    VelocityRms,
}

/// <summary>
/// Condition monitoring of one analog signal (YAML: <c>condition:</c> under the signal; docs/condition-monitoring.md).
/// Defaults give 1 s windows, features only; vibration adds <see cref="Input"/> and <see cref="IsoClass"/>.
/// </summary>
public sealed record ConditionDefinition
{
    /// <summary>Length of one feature window. YAML <c>window</c>, default 1 s.</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromSeconds(1);
    /// <summary>Nominal sample rate in Hz (YAML <c>sampleRate</c>); a window holds Window × SampleRate samples.</summary>
    public required double SampleRate { get; init; }
    /// <summary>YAML <c>kind</c>: generic, acceleration, velocity or velocityRms.</summary>
    public ConditionInput Input { get; init; } = ConditionInput.Generic;
    /// <summary>ISO 10816-1 machine class for zone A–D (YAML <c>isoClass</c>: I, II, III, IV); null: no zone.</summary>
    public IsoMachineClass? IsoClass { get; init; }
    /// <summary>
    /// Lower edge of the vibration band in Hz (YAML <c>highPassHz</c>), default 10 Hz per ISO 10816. Must be below
    /// half the sample rate; 0 turns the filter off for a velocity waveform (slow sampling, e.g. the simulator).
    /// </summary>
    public double HighPassHz { get; init; } = 10.0;
    /// <summary>FFT bands whose energy is reported per window (YAML <c>bands</c>).</summary>
    public IReadOnlyList<BandDefinition> Bands { get; init; } = [];
    /// <summary>Alarms on features or the raw value (YAML <c>alarms</c>).</summary>
    public IReadOnlyList<AlarmDefinition> Alarms { get; init; } = [];
    /// <summary>Minimum interval between two publications on <c>condition/{signal}</c> (YAML <c>publishInterval</c>); null: every window.</summary>
    public TimeSpan? PublishInterval { get; init; }
    /// <summary>Half-life of the EWMA baseline in running time (YAML <c>baselineHalfLife</c>), default 1 h.</summary>
    public TimeSpan BaselineHalfLife { get; init; } = TimeSpan.FromHours(1);
    /// <summary>Running windows averaged before the anomaly score is reported (YAML <c>baselineWarmup</c>), default 60.</summary>
    public int BaselineWarmupWindows { get; init; } = 60;
    /// <summary>Trend of one feature over a longer window (YAML <c>trend</c>); null: no trend.</summary>
    public TrendDefinition? Trend { get; init; }
}

/// <summary>A frequency band [<see cref="LowHz"/>, <see cref="HighHz"/>) whose FFT energy is reported.</summary>
public sealed record BandDefinition
{
    /// <summary>Band name, unique within the signal (payload key, alarm feature <c>band:{name}</c>).</summary>
    public required string Name { get; init; }
    public required double LowHz { get; init; }
    public required double HighHz { get; init; }
}

/// <summary>Least-squares trend of a feature (YAML <c>trend: { feature: mean, window: 1h, threshold: 85 }</c>).</summary>
public sealed record TrendDefinition
{
    /// <summary>Feature key (mean, rms, velocityRms...); default mean (e.g. a temperature).</summary>
    public string Feature { get; init; } = "mean";
    /// <summary>How far back the fit looks, default 1 h.</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromHours(1);
    /// <summary>The value whose projected time of arrival is reported; null: slope only.</summary>
    public double? Threshold { get; init; }
}
