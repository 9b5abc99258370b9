namespace EdgeOps.Core.Model;

/// <summary>How urgent an alarm is.</summary>
public enum AlarmSeverity
{
    Info,
    Warning,
    Critical,
}

/// <summary>
/// An alarm on a condition feature or the raw value, with hysteresis: raised when the value has been at or
/// beyond <see cref="Raise"/> for <see cref="MinDuration"/>, cleared when it has been at or back past
/// <see cref="Clear"/> for <see cref="MinDuration"/>. <see cref="Raise"/> above <see cref="Clear"/> is a high
/// alarm, below it a low alarm.
/// </summary>
public sealed record AlarmDefinition
{
    /// <summary>Alarm name, unique within the signal (events and current-alarm state).</summary>
    public required string Name { get; init; }
    /// <summary>
    /// What is watched: <c>value</c> (each sample), a feature key (mean, rms, peak, peakToPeak, crestFactor,
    /// stdDev, kurtosis, velocityRms, anomaly, trendSlope, hoursToThreshold) or <c>band:{name}</c>.
    /// </summary>
    public required string Feature { get; init; }
    public required double Raise { get; init; }
    public required double Clear { get; init; }
    public TimeSpan MinDuration { get; init; } = TimeSpan.Zero;
    public AlarmSeverity Severity { get; init; } = AlarmSeverity.Warning;
}
