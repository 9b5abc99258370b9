using EdgeOps.Core.Condition.Features;
using EdgeOps.Core.Model;

namespace EdgeOps.Core.Condition;

internal enum FeatureKind
{
    Value,
    Mean,
    Rms,
    Peak,
    PeakToPeak,
    CrestFactor,
    StdDev,
    Kurtosis,
    VelocityRms,
    Band,
    Anomaly,
    TrendSlope,
    HoursToThreshold,
}

/// <summary>
/// A feature named in config (<c>rms</c>, <c>velocityRms</c>, <c>band:bearing</c>...), resolved once so the hot
/// path reads it without string work.
/// </summary>
internal readonly record struct FeatureSelector(FeatureKind Kind, int Band)
{
    public const string Keys = "value, mean, rms, peak, peakToPeak, crestFactor, stdDev, kurtosis, velocityRms, anomaly, trendSlope, hoursToThreshold, band:{name}";

    /// <summary>Resolves <paramref name="key"/>; the error names <paramref name="path"/> (e.g. condition.alarms[0].feature).</summary>
    public static FeatureSelector Parse(string key, ConditionDefinition definition, string path)
    {
        if (key.StartsWith("band:", StringComparison.OrdinalIgnoreCase))
        {
            var name = key[5..];
            for (var b = 0; b < definition.Bands.Count; b++)
            {
                if (string.Equals(definition.Bands[b].Name, name, StringComparison.Ordinal))
                {
                    return new FeatureSelector(FeatureKind.Band, b);
                }
            }

            throw new ArgumentException($"{path}: no band named '{name}' in condition.bands.", nameof(key));
        }

        FeatureKind? kind = key.ToUpperInvariant() switch
        {
            "VALUE" => FeatureKind.Value,
            "MEAN" => FeatureKind.Mean,
            "RMS" => FeatureKind.Rms,
            "PEAK" => FeatureKind.Peak,
            "PEAKTOPEAK" => FeatureKind.PeakToPeak,
            "CRESTFACTOR" => FeatureKind.CrestFactor,
            "STDDEV" => FeatureKind.StdDev,
            "KURTOSIS" => FeatureKind.Kurtosis,
            "VELOCITYRMS" => FeatureKind.VelocityRms,
            "ANOMALY" => FeatureKind.Anomaly,
            "TRENDSLOPE" => FeatureKind.TrendSlope,
            "HOURSTOTHRESHOLD" => FeatureKind.HoursToThreshold,
            _ => null,
        };
        if (kind is null)
        {
            throw new ArgumentException($"{path}: unknown feature '{key}'; expected one of {Keys}.", nameof(key));
        }

        if (kind == FeatureKind.VelocityRms && definition.Input == ConditionInput.Generic)
        {
            throw new ArgumentException($"{path}: velocityRms needs condition.kind acceleration or velocity.", nameof(key));
        }

        if (kind == FeatureKind.TrendSlope && definition.Trend is null)
        {
            throw new ArgumentException($"{path}: trendSlope needs condition.trend.", nameof(key));
        }

        if (kind == FeatureKind.HoursToThreshold && definition.Trend?.Threshold is null)
        {
            throw new ArgumentException($"{path}: hoursToThreshold needs condition.trend.threshold.", nameof(key));
        }

        return new FeatureSelector(kind.Value, -1);
    }

    /// <summary>The window feature value; NaN for what the features alone do not hold (value, anomaly, trend).</summary>
    public double Read(ConditionFeatures f) => Kind switch
    {
        FeatureKind.Mean => f.Mean,
        FeatureKind.Rms => f.Rms,
        FeatureKind.Peak => f.Peak,
        FeatureKind.PeakToPeak => f.PeakToPeak,
        FeatureKind.CrestFactor => f.CrestFactor,
        FeatureKind.StdDev => f.StdDev,
        FeatureKind.Kurtosis => f.Kurtosis,
        FeatureKind.VelocityRms => f.VelocityRms ?? double.NaN,
        FeatureKind.Band => f.Bands[Band].Energy,
        _ => double.NaN,
    };

    /// <summary>The value from a full snapshot; a missing time to threshold reads as +∞ (it is not coming).</summary>
    public double Read(ConditionSnapshot s) => Kind switch
    {
        FeatureKind.Anomaly => s.AnomalyScore ?? double.NaN,
        FeatureKind.TrendSlope => s.TrendSlopePerHour ?? double.NaN,
        FeatureKind.HoursToThreshold => s.HoursToThreshold ?? double.PositiveInfinity,
        _ => Read(s.Features),
    };
}
