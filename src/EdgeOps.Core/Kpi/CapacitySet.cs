namespace EdgeOps.Core.Kpi;

/// <summary>Capacity figures of one machine over one period (DESIGN.md section 4).</summary>
public sealed record CapacitySet
{
    /// <summary>Planned production time so far / ideal cycle time: what the machine could have made by now.</summary>
    public double TheoreticalOutput { get; init; }
    /// <summary>Scheduled production time of the whole shift (length − breaks) / ideal cycle time.</summary>
    public double TheoreticalOutputShift { get; init; }
    /// <summary>Target per hour × planned production time so far; null without a configured target.</summary>
    public double? Target { get; init; }
    /// <summary>Target per hour × scheduled production time of the whole shift; null without a configured target.</summary>
    public double? TargetShift { get; init; }
    /// <summary>Good units so far.</summary>
    public long Actual { get; init; }
    /// <summary>Good so far + current shift rate × remaining scheduled production time (breaks excluded).</summary>
    public double ProjectedOutput { get; init; }
    /// <summary>Run time / calendar time, 0..1.</summary>
    public double? Utilization { get; init; }
}
