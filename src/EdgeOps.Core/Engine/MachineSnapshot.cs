using EdgeOps.Core.Kpi;
using EdgeOps.Core.Model;

namespace EdgeOps.Core.Engine;

/// <summary>
/// Everything published about one machine at one instant: state, counts, KPIs, capacity, shift.
/// Shift-level figures cover the current period: the shift in progress, or, between shifts (<see cref="Shift"/> null),
/// the time since the last shift ended; such off-shift figures never enter a <see cref="ShiftRecord"/>.
/// </summary>
public sealed record MachineSnapshot
{
    public required int MachineIndex { get; init; }
    public required string MachineId { get; init; }
    public string? MachineName { get; init; }
    /// <summary>When the snapshot was taken.</summary>
    public required DateTimeOffset Timestamp { get; init; }
    /// <summary>The machine's <see cref="LineEngine.GetVersion"/> at the snapshot.</summary>
    public required long Version { get; init; }

    public required StateCategory State { get; init; }
    public required string ReasonCode { get; init; }
    public required string ReasonLabel { get; init; }
    /// <summary>Since when the machine has been in this state and reason.</summary>
    public required DateTimeOffset StateSince { get; init; }
    /// <summary>The stop in progress (Down, Changeover, Idle), else null.</summary>
    public long? CurrentStopId { get; init; }
    public DateTimeOffset? CurrentStopStart { get; init; }
    /// <summary>Duration of the stop in progress; zero when not stopped.</summary>
    public TimeSpan CurrentStopDuration { get; init; }
    /// <summary>True while the stop in progress is still shorter than the micro-stop threshold.</summary>
    public bool CurrentStopIsMicro { get; init; }

    /// <summary>Counts of the current period (shift, or off-shift gap).</summary>
    public required ProductionCounts ShiftCounts { get; init; }
    /// <summary>Counts since the engine was first started (carried through checkpoints; never reset).</summary>
    public required ProductionCounts LifetimeCounts { get; init; }
    public required KpiSet Kpi { get; init; }
    public required CapacitySet Capacity { get; init; }
    /// <summary>The shift in progress; null between shifts.</summary>
    public ShiftInfo? Shift { get; init; }
    /// <summary>The active product; null when none (the machine's own ideal cycle time applies).</summary>
    public string? ProductId { get; init; }
    /// <summary>The machine's running or paused order (its own, or its share of a line order); null when none.</summary>
    public Orders.OrderRecord? Order { get; init; }
}
