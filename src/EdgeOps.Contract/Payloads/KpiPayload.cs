namespace EdgeOps.Contract.Payloads;

/// <summary>
/// <c>.../{machine}/kpi</c>, retained: the shift's OEE and its parts, throughput, downtime, MTBF/MTTR and capacity
/// (DESIGN.md section 4). Published on change, at most once per <c>MinKpiInterval</c>.
/// </summary>
public sealed record KpiPayload : PayloadBase
{
    /// <inheritdoc />
    public override string Schema => PayloadSchemas.Kpi;

    /// <summary>Machine id.</summary>
    public required string Machine { get; init; }

    /// <summary>Start of the shift these figures cover.</summary>
    public DateTimeOffset? ShiftStart { get; init; }

    /// <summary>Share of the shift so far with fresh data from the source (0..1).</summary>
    public required double Coverage { get; init; }

    /// <summary>True when the source is offline: the figures are not current.</summary>
    public bool Stale { get; init; }

    /// <summary>Availability x performance x quality; null before any planned production time.</summary>
    public double? Oee { get; init; }

    /// <summary>Run time / planned production time.</summary>
    public double? Availability { get; init; }

    /// <summary>Ideal cycle time x total / run time; above 1 is reported as is and flagged.</summary>
    public double? Performance { get; init; }

    /// <summary>Good / total.</summary>
    public double? Quality { get; init; }

    /// <summary>(Total - reject - rework) / total.</summary>
    public double? FirstPassYield { get; init; }

    /// <summary>Performance above 1: the configured ideal cycle time is too long.</summary>
    public bool PerformanceAboveOne { get; init; }

    /// <summary>Planned production time so far, seconds.</summary>
    public required double PlannedProductionTimeS { get; init; }

    /// <summary>Run time so far, seconds.</summary>
    public required double RunTimeS { get; init; }

    /// <summary>Good units per hour over rolling windows and the shift.</summary>
    public required ThroughputFigures Throughput { get; init; }

    /// <summary>Run time / total, seconds; null before the first unit.</summary>
    public double? ActualCycleTimeS { get; init; }

    /// <summary>Configured ideal cycle time, seconds.</summary>
    public required double IdealCycleTimeS { get; init; }

    /// <summary>Downtime totals and Pareto.</summary>
    public required DowntimeFigures Downtime { get; init; }

    /// <summary>Run time / Down stops, seconds; null without a Down stop.</summary>
    public double? MtbfS { get; init; }

    /// <summary>Down time / Down stops, seconds; null without a Down stop.</summary>
    public double? MttrS { get; init; }

    /// <summary>Theoretical, target and projected output; utilization.</summary>
    public required CapacityFigures Capacity { get; init; }
}

/// <summary>Good units per hour.</summary>
public sealed record ThroughputFigures(double? PerHour1m, double? PerHour15m, double? PerHourShift);

/// <summary>Downtime of the shift so far.</summary>
public sealed record DowntimeFigures
{
    /// <summary>All downtime (Down, Changeover, Idle at or above the micro-stop threshold), seconds.</summary>
    public required double TotalS { get; init; }

    /// <summary>Stops at or above the micro-stop threshold.</summary>
    public required int StopCount { get; init; }

    /// <summary>Stops below the threshold (a performance loss).</summary>
    public required int MicroStopCount { get; init; }

    /// <summary>Time in micro-stops, seconds.</summary>
    public required double MicroStopS { get; init; }

    /// <summary>Duration of the stop in progress, seconds; null while running.</summary>
    public double? CurrentStopS { get; init; }

    /// <summary>Downtime per reason, longest first.</summary>
    public required IReadOnlyList<ReasonDowntime> ByReason { get; init; }
}

/// <summary>One reason's share of the downtime.</summary>
public sealed record ReasonDowntime(string Code, string Label, double Seconds, int Count);

/// <summary>Capacity figures.</summary>
public sealed record CapacityFigures(double? TheoreticalOutput, double? TargetOutput, double? ProjectedOutput, double? Utilization);
