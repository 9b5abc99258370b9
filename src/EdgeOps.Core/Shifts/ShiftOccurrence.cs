namespace EdgeOps.Core.Shifts;

/// <summary>
/// One concrete shift: a <see cref="Model.ShiftDefinition"/> on one local date, resolved to UTC instants.
/// Across a DST change the duration is not the nominal one (Berlin night shift 22:00–06:00: 7 h in spring, 9 h in autumn).
/// </summary>
/// <param name="Name">The shift's configured name (e.g. "early").</param>
/// <param name="LocalDate">The plant-local date the shift starts on.</param>
/// <param name="Start">Start, UTC.</param>
/// <param name="End">End (exclusive), UTC.</param>
/// <param name="Breaks">The shift's breaks as UTC intervals, clipped to the shift, in time order.</param>
public sealed record ShiftOccurrence(
    string Name,
    DateOnly LocalDate,
    DateTimeOffset Start,
    DateTimeOffset End,
    IReadOnlyList<TimeInterval> Breaks)
{
    /// <summary>Stable id of this occurrence, "yyyy-MM-dd/name" (local start date), e.g. "2026-03-28/night".</summary>
    public string Id => $"{LocalDate:yyyy-MM-dd}/{Name}";

    /// <summary>Calendar length of the shift (DST-aware).</summary>
    public TimeSpan Duration => End - Start;

    /// <summary>True when <paramref name="instant"/> lies in [Start, End).</summary>
    public bool Contains(DateTimeOffset instant) => instant >= Start && instant < End;

    /// <summary>Total scheduled break time.</summary>
    public TimeSpan BreakTime => Breaks.Aggregate(TimeSpan.Zero, (sum, b) => sum + b.Duration);
}
