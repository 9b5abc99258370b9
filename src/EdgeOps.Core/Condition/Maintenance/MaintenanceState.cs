namespace EdgeOps.Core.Condition.Maintenance;

/// <summary>
/// Checkpoint of a machine's usage counters: plain values for System.Text.Json, written with the count
/// checkpoint so usage survives a gateway restart.
/// </summary>
public sealed record MaintenanceState
{
    public required string Machine { get; init; }
    /// <summary>Lifetime running time in seconds.</summary>
    public required double RunSeconds { get; init; }
    public required long Cycles { get; init; }
    public required long Starts { get; init; }
    /// <summary>Whether the machine was running at the checkpoint (a restart while running is not a start).</summary>
    public bool Running { get; init; }
    public IReadOnlyList<MaintenanceItemState> Items { get; init; } = [];
}

/// <summary>An item's lifetime counters at its last reset, and who reset it when.</summary>
public sealed record MaintenanceItemState
{
    public required string Item { get; init; }
    public required double RunSecondsAtReset { get; init; }
    public required long CyclesAtReset { get; init; }
    public required long StartsAtReset { get; init; }
    public DateTimeOffset? LastResetAt { get; init; }
    public string? LastResetBy { get; init; }
    /// <summary>The level last reported, so a restart does not repeat a due or overdue event.</summary>
    public MaintenanceLevel Level { get; init; }
}
