using EdgeOps.Core.Condition.Features;

namespace EdgeOps.Core.Condition;

/// <summary>
/// What is published on <c>condition/{signal}</c> for one window: the features plus what the baseline and the
/// trend make of them.
/// </summary>
public sealed record ConditionSnapshot
{
    public required string Machine { get; init; }
    public required string Signal { get; init; }
    public required ConditionFeatures Features { get; init; }
    /// <summary>
    /// Largest |z| of any feature against its baseline; null while the baseline warms up and for windows in
    /// which the machine was not Running throughout (the baseline describes a running machine).
    /// </summary>
    public double? AnomalyScore { get; init; }
    /// <summary>The feature with the largest |z|.</summary>
    public string? AnomalyFeature { get; init; }
    /// <summary>Running windows the baseline has learned from.</summary>
    public required long BaselineWindows { get; init; }
    /// <summary>Least-squares slope of the trend feature, per hour; null without a trend or enough points.</summary>
    public double? TrendSlopePerHour { get; init; }
    /// <summary>Projected hours until the trend reaches its threshold; 0 when already there, null when moving away.</summary>
    public double? HoursToThreshold { get; init; }
}
