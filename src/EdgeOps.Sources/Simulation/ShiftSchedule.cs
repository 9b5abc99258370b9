using EdgeOps.Core.Model;

namespace EdgeOps.Sources.Simulation;

/// <summary>
/// When the simulated line produces: inside a shift and outside its breaks, in the plant's time zone (DST-safe:
/// local times are converted per date). Answers "producing at t?" and "when does that next change?".
/// </summary>
internal sealed class ShiftSchedule
{
    private readonly LineDefinition _line;
    private readonly TimeZoneInfo _zone;

    public ShiftSchedule(LineDefinition line)
    {
        _line = line;
        _zone = TimeZoneInfo.FindSystemTimeZoneById(line.TimeZone);
    }

    public bool IsProducing(DateTimeOffset t)
    {
        foreach (var (start, end, breaks) in WindowsAround(t, daysAfter: 0))
        {
            if (t >= start && t < end)
            {
                return !breaks.Any(b => t >= b.Start && t < b.End);
            }
        }

        return false;
    }

    /// <summary>The first instant after <paramref name="t"/> where a shift or break starts or ends.</summary>
    public DateTimeOffset NextChange(DateTimeOffset t)
    {
        var next = DateTimeOffset.MaxValue;
        foreach (var (start, end, breaks) in WindowsAround(t, daysAfter: 8))
        {
            Consider(start);
            Consider(end);
            foreach (var (breakStart, breakEnd) in breaks)
            {
                Consider(breakStart);
                Consider(breakEnd);
            }
        }

        // No shifts at all in the coming week: look again in a week.
        return next == DateTimeOffset.MaxValue ? t.AddDays(7) : next;

        void Consider(DateTimeOffset candidate)
        {
            if (candidate > t && candidate < next)
            {
                next = candidate;
            }
        }
    }

    private IEnumerable<(DateTimeOffset Start, DateTimeOffset End, List<(DateTimeOffset Start, DateTimeOffset End)> Breaks)> WindowsAround(DateTimeOffset t, int daysAfter)
    {
        var localDate = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(t, _zone).DateTime);
        for (var d = -1; d <= daysAfter; d++)
        {
            var date = localDate.AddDays(d);
            foreach (var shift in _line.Shifts)
            {
                if (!shift.Days.Contains(date.DayOfWeek))
                {
                    continue;
                }

                var start = date.ToDateTime(shift.Start);
                var end = shift.End > shift.Start ? date.ToDateTime(shift.End) : date.AddDays(1).ToDateTime(shift.End);
                var breaks = new List<(DateTimeOffset, DateTimeOffset)>();
                foreach (var item in shift.Breaks)
                {
                    var breakStart = start + Wrap(item.Start - shift.Start);
                    var breakEnd = breakStart + Wrap(item.End - item.Start);
                    breaks.Add((ToUtc(breakStart), ToUtc(breakEnd)));
                }

                yield return (ToUtc(start), ToUtc(end), breaks);
            }
        }
    }

    private static TimeSpan Wrap(TimeSpan span) => span < TimeSpan.Zero ? span + TimeSpan.FromDays(1) : span;

    /// <summary>Local wall time to UTC: a time skipped by DST moves past the gap, a repeated one takes its first occurrence.</summary>
    private DateTimeOffset ToUtc(DateTime local)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        while (_zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(15);
        }

        var offset = _zone.IsAmbiguousTime(local) ? _zone.GetAmbiguousTimeOffsets(local).Max() : _zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).ToUniversalTime();
    }
}
