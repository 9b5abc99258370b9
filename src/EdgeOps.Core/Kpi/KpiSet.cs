namespace EdgeOps.Core.Kpi;

/// <summary>
/// The KPIs of one machine over one period (a shift so far, or a closed shift), per DESIGN.md section 4.
/// Ratios are null when their denominator is zero (no planned production time, no run time, no units).
/// Time identity: <see cref="RunTime"/> + <see cref="Downtime"/> + <see cref="PlannedStopTime"/> + <see cref="OfflineTime"/>
/// = <see cref="CalendarTime"/>; micro-stop time is part of run time (a performance loss).
/// </summary>
public sealed record KpiSet
{
    /// <summary>Run time / planned production time, 0..1.</summary>
    public double? Availability { get; init; }
    /// <summary>Ideal cycle time × total / run time. Reported as is when above 1.0 (see <see cref="PerformanceFlagged"/>).</summary>
    public double? Performance { get; init; }
    /// <summary>Good / total, 0..1.</summary>
    public double? Quality { get; init; }
    /// <summary>Availability × Performance × Quality (= good × ideal cycle time / planned production time).</summary>
    public double? Oee { get; init; }
    /// <summary>(total − reject − rework) / total.</summary>
    public double? FirstPassYield { get; init; }
    /// <summary>True when performance is above 1.0: the configured ideal cycle time is too slow.</summary>
    public bool PerformanceFlagged { get; init; }

    /// <summary>Good units per hour over the last minute.</summary>
    public double ThroughputPerHour1Min { get; init; }
    /// <summary>Good units per hour over the last 15 minutes.</summary>
    public double ThroughputPerHour15Min { get; init; }
    /// <summary>Good units per hour over the elapsed period (calendar time).</summary>
    public double ThroughputPerHourShift { get; init; }

    /// <summary>Run time / total; null with no units.</summary>
    public TimeSpan? ActualCycleTime { get; init; }
    /// <summary>The configured ideal cycle time.</summary>
    public TimeSpan IdealCycleTime { get; init; }
    /// <summary>Run time / number of Down stops; null with no Down stop.</summary>
    public TimeSpan? Mtbf { get; init; }
    /// <summary>Down time / number of Down stops; null with no Down stop.</summary>
    public TimeSpan? Mttr { get; init; }

    /// <summary>Elapsed calendar time of the period (the whole shift once closed).</summary>
    public TimeSpan CalendarTime { get; init; }
    /// <summary>Calendar time − planned stops − offline time.</summary>
    public TimeSpan PlannedProductionTime { get; init; }
    /// <summary>Planned production time − downtime (micro-stops included).</summary>
    public TimeSpan RunTime { get; init; }
    /// <summary>Time in Down, Changeover and Idle stops at or above the micro-stop threshold.</summary>
    public TimeSpan Downtime { get; init; }

    public TimeSpan FailureTime { get; init; }
    /// <summary>Planned stops (plannedStop input or command, breaks while not running, planned state codes).</summary>
    public TimeSpan PlannedStopTime { get; init; }
    /// <summary>Time without fresh data: neither production nor downtime.</summary>
    public TimeSpan OfflineTime { get; init; }
    /// <summary>Time in stops shorter than the micro-stop threshold (inside <see cref="RunTime"/>).</summary>
    public TimeSpan MicroStopTime { get; init; }

    /// <summary>Stops at or above the micro-stop threshold.</summary>
    public int StopCount { get; init; }
    /// <summary>Stops in the Down category (failures; MTBF and MTTR's denominator).</summary>
    public int DownStopCount { get; init; }
    /// <summary>Stops shorter than the micro-stop threshold.</summary>
    public int MicroStopCount { get; init; }
    /// <summary>Downtime per reason, longest first.</summary>
    public IReadOnlyList<ReasonDowntime> DowntimeByReason { get; init; } = [];

    /// <summary>Share of the calendar time with fresh data, 0..1 (1 − offline / calendar).</summary>
    public double Coverage { get; init; }
    /// <summary>True while the machine is Offline: the figures are frozen at the last fresh data.</summary>
    public bool Stale { get; init; }
}
