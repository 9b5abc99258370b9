using EdgeOps.Core.Shifts;

namespace EdgeOps.Core.Engine.Checkpoints;

/// <summary>A period (shift or gap between shifts) and every machine's accumulators in it.</summary>
public sealed record PeriodCheckpoint
{
    /// <summary>Shift name; null for the gap between shifts.</summary>
    public string? ShiftName { get; init; }
    public DateOnly LocalDate { get; init; }
    public required DateTimeOffset Start { get; init; }
    /// <summary>End of the shift, or the next shift's start for a gap (<see cref="DateTimeOffset.MaxValue"/> when none).</summary>
    public required DateTimeOffset End { get; init; }
    public IReadOnlyList<TimeInterval> Breaks { get; init; } = [];
    public required IReadOnlyList<AccumulatorCheckpoint> Machines { get; init; }
}
