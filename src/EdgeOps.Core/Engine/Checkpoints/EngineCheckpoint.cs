namespace EdgeOps.Core.Engine.Checkpoints;

/// <summary>
/// The engine's durable state as plain data (System.Text.Json friendly), written by the host every checkpoint
/// interval and fed to <see cref="LineEngine.Restore"/> after a restart: counters, totalizer baselines, the current
/// state and its start, open and retained shift accumulators, recent stops. Rolling throughput windows are not kept
/// (they refill within 15 minutes).
/// </summary>
public sealed record EngineCheckpoint
{
    /// <summary>Bumped when the shape changes incompatibly; <see cref="LineEngine.Restore"/> rejects other versions.</summary>
    public const int CurrentSchemaVersion = 1;

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;
    /// <summary>The line id, checked on restore.</summary>
    public required string Line { get; init; }
    /// <summary>Engine time when the checkpoint was taken; everything up to it is accounted.</summary>
    public required DateTimeOffset CreatedAt { get; init; }
    /// <summary>Counts older than this are dropped as too late (start of the oldest retained shift).</summary>
    public required DateTimeOffset Horizon { get; init; }
    /// <summary>The next stop id to hand out.</summary>
    public required long NextStopId { get; init; }
    /// <summary>The period in progress (a shift or the gap between shifts).</summary>
    public required PeriodCheckpoint CurrentPeriod { get; init; }
    /// <summary>Recently closed shifts kept for late data and reason assignment, oldest first.</summary>
    public required IReadOnlyList<PeriodCheckpoint> ClosedShifts { get; init; }
    public required IReadOnlyList<MachineCheckpoint> Machines { get; init; }
    /// <summary>Orders running, paused, or completed and kept for late data; machines refer to them by index.</summary>
    public IReadOnlyList<OrderCheckpoint> Orders { get; init; } = [];
}
