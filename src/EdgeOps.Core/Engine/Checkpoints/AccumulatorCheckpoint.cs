namespace EdgeOps.Core.Engine.Checkpoints;

/// <summary>One machine's totals in one period. Times are in ticks (100 ns).</summary>
public sealed record AccumulatorCheckpoint
{
    public required string MachineId { get; init; }
    public long RunTicks { get; init; }
    public long PlannedTicks { get; init; }
    public long OfflineTicks { get; init; }
    public long MicroStopTicks { get; init; }
    public int MicroStopCount { get; init; }
    /// <summary>Measured (wired) counts; derived counts are recomputed.</summary>
    public long Total { get; init; }
    public long Good { get; init; }
    public long Reject { get; init; }
    public long Rework { get; init; }
    public IReadOnlyList<ReasonTimeCheckpoint> Reasons { get; init; } = [];
    public int Revision { get; init; }
    /// <summary>Rolling throughputs frozen when the shift closed.</summary>
    public double ThroughputPerHour1Min { get; init; }
    public double ThroughputPerHour15Min { get; init; }
    /// <summary>The machine was Offline when the shift closed.</summary>
    public bool StaleAtClose { get; init; }
    /// <summary>Σ ideal time × units per role (ticks); null in checkpoints from before products (then counts × the machine's ideal time).</summary>
    public long? IdealTotal { get; init; }
    public long? IdealGood { get; init; }
    public long? IdealReject { get; init; }
    /// <summary>Theoretical output so far; null in checkpoints from before products (then recomputed from the times).</summary>
    public double? TheoreticalUnits { get; init; }
    public double TargetUnits { get; init; }
    public bool HasTarget { get; init; }
    /// <summary>Measured counts per product.</summary>
    public IReadOnlyList<ProductCountCheckpoint> Products { get; init; } = [];
}

/// <summary>Measured counts of one product in one period.</summary>
public sealed record ProductCountCheckpoint(string Product, long Total, long Good, long Reject, long Rework);

/// <summary>Downtime of one reason in one period.</summary>
public sealed record ReasonTimeCheckpoint(string ReasonCode, long Ticks, int Count);
