namespace EdgeOps.Core.Model;

/// <summary>
/// A shift in the plant's local time. <see cref="End"/> earlier than or equal to <see cref="Start"/> means the
/// shift ends the next day (a night shift). <see cref="Days"/> are the days the shift starts on.
/// </summary>
public sealed record ShiftDefinition
{
    public required string Name { get; init; }
    public required TimeOnly Start { get; init; }
    public required TimeOnly End { get; init; }
    public IReadOnlyList<DayOfWeek> Days { get; init; } =
        [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday];
    /// <summary>Breaks are planned stops while the machine is not running.</summary>
    public IReadOnlyList<BreakDefinition> Breaks { get; init; } = [];
}

/// <summary>A break inside a shift, in local time.</summary>
public sealed record BreakDefinition
{
    public required string Name { get; init; }
    public required TimeOnly Start { get; init; }
    public required TimeOnly End { get; init; }
}
