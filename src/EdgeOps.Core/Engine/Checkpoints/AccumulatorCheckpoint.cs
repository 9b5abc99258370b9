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
}

/// <summary>Downtime of one reason in one period.</summary>
public sealed record ReasonTimeCheckpoint(string ReasonCode, long Ticks, int Count);
