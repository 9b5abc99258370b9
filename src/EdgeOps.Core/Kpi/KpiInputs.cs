namespace EdgeOps.Core.Kpi;

/// <summary>Everything the KPI formulas need for one machine over one period; times in ticks.</summary>
internal readonly record struct KpiInputs
{
    public long CalendarTicks { get; init; }
    /// <summary>Running time including micro-stops.</summary>
    public long RunTicks { get; init; }
    public long DowntimeTicks { get; init; }
    public long DownCategoryTicks { get; init; }
    public long PlannedTicks { get; init; }
    public long OfflineTicks { get; init; }
    public long MicroTicks { get; init; }
    public int MicroCount { get; init; }
    public int StopCount { get; init; }
    public int DownStopCount { get; init; }
    public ProductionCounts Counts { get; init; }
    /// <summary>The ideal time per unit in force at the end (reported as the ideal cycle time).</summary>
    public long IdealTicks { get; init; }
    /// <summary>Σ ideal time per unit × units processed, each at the ideal time of its instant (performance's numerator).</summary>
    public long IdealWorkTicks { get; init; }
    /// <summary>Σ planned production time / ideal time per unit in force: theoretical output across product changes.</summary>
    public double TheoreticalUnits { get; init; }
    /// <summary>Σ planned production time × target per hour in force; null while no target applied.</summary>
    public double? TargetUnits { get; init; }
    public double? TargetPerHour { get; init; }
    public double Throughput1Min { get; init; }
    public double Throughput15Min { get; init; }
    public IReadOnlyList<ReasonDowntime> Reasons { get; init; }
    public bool Stale { get; init; }
    /// <summary>Scheduled production time of the whole period (shift length − breaks).</summary>
    public long ScheduledTicks { get; init; }
    /// <summary>Scheduled production time already elapsed (calendar so far − breaks so far).</summary>
    public long ScheduledElapsedTicks { get; init; }
}
