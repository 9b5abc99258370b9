namespace EdgeOps.Core.Engine;

/// <summary>The shift in progress as seen at a snapshot.</summary>
/// <param name="Name">Configured shift name.</param>
/// <param name="Id">"yyyy-MM-dd/name" of the plant-local start date.</param>
/// <param name="LocalDate">Plant-local date the shift started on.</param>
/// <param name="Start">Start, UTC.</param>
/// <param name="End">End, UTC.</param>
/// <param name="TimeLeft">End − now.</param>
/// <param name="InBreak">True during a scheduled break.</param>
public sealed record ShiftInfo(
    string Name,
    string Id,
    DateOnly LocalDate,
    DateTimeOffset Start,
    DateTimeOffset End,
    TimeSpan TimeLeft,
    bool InBreak);
