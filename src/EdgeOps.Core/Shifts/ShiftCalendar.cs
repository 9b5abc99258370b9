using EdgeOps.Core.Model;

namespace EdgeOps.Core.Shifts;

/// <summary>
/// Resolves a line's shift definitions (plant-local times) to UTC instants in the plant's IANA time zone.
/// DST-safe: a local time that does not exist (spring forward) is read with the offset in force before the jump,
/// so it lands on the first instant after the gap; a local time that exists twice (fall back) takes its first
/// occurrence. Time between shifts is "no shift": not production time.
/// </summary>
public sealed class ShiftCalendar
{
    private const int LookAheadDays = 8;
    private readonly ShiftDefinition[] _shifts;

    /// <summary>Builds the calendar; throws <see cref="ArgumentException"/> naming the zone or shift that is wrong.</summary>
    public ShiftCalendar(IReadOnlyList<ShiftDefinition> shifts, string timeZoneId)
    {
        ArgumentNullException.ThrowIfNull(shifts);
        TimeZone = FindZone(timeZoneId);
        _shifts = [.. shifts];
        foreach (var shift in _shifts)
        {
            foreach (var pause in shift.Breaks)
            {
                if (!BreakInsideShift(shift, pause))
                {
                    throw new ArgumentException(
                        $"Break '{pause.Name}' ({pause.Start:HH\\:mm}–{pause.End:HH\\:mm}) lies outside shift '{shift.Name}' " +
                        $"({shift.Start:HH\\:mm}–{shift.End:HH\\:mm}).",
                        nameof(shifts));
                }
            }
        }
    }

    /// <summary>The calendar of a line: its shifts in its <see cref="LineDefinition.TimeZone"/>.</summary>
    public static ShiftCalendar ForLine(LineDefinition line)
    {
        ArgumentNullException.ThrowIfNull(line);
        return new ShiftCalendar(line.Shifts, line.TimeZone);
    }

    /// <summary>The plant's time zone.</summary>
    public TimeZoneInfo TimeZone { get; }

    /// <summary>The configured shifts.</summary>
    public IReadOnlyList<ShiftDefinition> Shifts => _shifts;

    /// <summary>Finds an IANA (or Windows) time zone; the error names the zone id.</summary>
    public static TimeZoneInfo FindZone(string timeZoneId)
    {
        if (string.IsNullOrWhiteSpace(timeZoneId))
        {
            throw new ArgumentException("The time zone is empty; expected an IANA id such as 'Europe/Berlin'.", nameof(timeZoneId));
        }

        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(timeZoneId);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new ArgumentException(
                $"Unknown time zone '{timeZoneId}': expected an IANA id such as 'Europe/Berlin' (is tzdata installed?).",
                nameof(timeZoneId),
                ex);
        }
    }

    /// <summary>The shift in progress at <paramref name="instant"/>, or null when it falls between shifts.</summary>
    public ShiftOccurrence? ShiftAt(DateTimeOffset instant)
    {
        var today = LocalDate(instant);
        ShiftOccurrence? found = null;
        for (var d = today.AddDays(-1); d <= today; d = d.AddDays(1))
        {
            foreach (var occurrence in OccurrencesOn(d))
            {
                // Overlapping shifts are a configuration error; the later-starting one wins so a new shift takes over.
                if (occurrence.Contains(instant) && (found is null || occurrence.Start > found.Start))
                {
                    found = occurrence;
                }
            }
        }

        return found;
    }

    /// <summary>The first shift that starts strictly after <paramref name="instant"/> (within 8 days), or null.</summary>
    public ShiftOccurrence? NextShiftAfter(DateTimeOffset instant)
    {
        var today = LocalDate(instant);
        ShiftOccurrence? best = null;
        for (var d = today.AddDays(-1); d <= today.AddDays(LookAheadDays); d = d.AddDays(1))
        {
            foreach (var occurrence in OccurrencesOn(d))
            {
                if (occurrence.Start > instant && (best is null || occurrence.Start < best.Start))
                {
                    best = occurrence;
                }
            }
        }

        return best;
    }

    /// <summary>The shifts that start on a plant-local date.</summary>
    public IEnumerable<ShiftOccurrence> OccurrencesOn(DateOnly localDate)
    {
        foreach (var shift in _shifts)
        {
            if (shift.Days.Contains(localDate.DayOfWeek))
            {
                yield return Resolve(shift, localDate);
            }
        }
    }

    /// <summary>Resolves one shift definition on one local date.</summary>
    public ShiftOccurrence Resolve(ShiftDefinition shift, DateOnly localDate)
    {
        ArgumentNullException.ThrowIfNull(shift);
        var start = ToUtc(localDate, shift.Start);
        var endDate = shift.End <= shift.Start ? localDate.AddDays(1) : localDate;
        var end = ToUtc(endDate, shift.End);
        var breaks = new List<TimeInterval>(shift.Breaks.Count);
        foreach (var pause in shift.Breaks)
        {
            var breakDate = pause.Start < shift.Start ? localDate.AddDays(1) : localDate;
            var breakEndDate = pause.End <= pause.Start ? breakDate.AddDays(1) : breakDate;
            var from = Max(ToUtc(breakDate, pause.Start), start);
            var to = Min(ToUtc(breakEndDate, pause.End), end);
            if (to > from)
            {
                breaks.Add(new TimeInterval(from, to));
            }
        }

        breaks.Sort((a, b) => a.Start.CompareTo(b.Start));
        return new ShiftOccurrence(shift.Name, localDate, start, end, breaks);
    }

    /// <summary>The plant-local date of an instant.</summary>
    public DateOnly LocalDate(DateTimeOffset instant) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, TimeZone).DateTime);

    /// <summary>A plant-local date and time as a UTC instant (DST gap: first instant after it; overlap: first occurrence).</summary>
    public DateTimeOffset ToUtc(DateOnly localDate, TimeOnly localTime)
    {
        var local = localDate.ToDateTime(localTime, DateTimeKind.Unspecified);
        TimeSpan offset;
        if (TimeZone.IsInvalidTime(local))
        {
            // The clock jumped over this time: read it with the offset before the jump (02:30 CET = 03:30 CEST).
            offset = TimeZone.GetUtcOffset(local.AddHours(-6));
        }
        else if (TimeZone.IsAmbiguousTime(local))
        {
            offset = TimeZone.GetAmbiguousTimeOffsets(local).Max();
        }
        else
        {
            offset = TimeZone.GetUtcOffset(local);
        }

        return new DateTimeOffset(local, offset).ToUniversalTime();
    }

    private static bool BreakInsideShift(ShiftDefinition shift, BreakDefinition pause)
    {
        // Minutes after the shift start, on a 24 h circle; a shift whose end equals its start lasts 24 h.
        static int Minutes(TimeOnly t) => (t.Hour * 60) + t.Minute;
        var length = Minutes(shift.End) - Minutes(shift.Start);
        if (length <= 0)
        {
            length += 24 * 60;
        }

        var from = Minutes(pause.Start) - Minutes(shift.Start);
        if (from < 0)
        {
            from += 24 * 60;
        }

        var breakLength = Minutes(pause.End) - Minutes(pause.Start);
        if (breakLength <= 0)
        {
            breakLength += 24 * 60;
        }

        return from + breakLength <= length;
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
