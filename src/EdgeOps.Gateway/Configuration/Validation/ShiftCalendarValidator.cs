using EdgeOps.Core.Model;

namespace EdgeOps.Gateway.Configuration.Validation;

/// <summary>
/// Shifts may not overlap (on the same weekday, and across midnight into the next day, and from Sunday night into
/// Monday): a minute belongs to one shift, or counts would be booked twice. Breaks lie inside their shift and do not
/// overlap each other.
/// </summary>
internal sealed class ShiftCalendarValidator : ILineValidator
{
    private const int Day = 24 * 60;
    private const int Week = 7 * Day;

    public void Validate(LineDefinition line, ConfigContext context)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var shift in line.Shifts)
        {
            if (!names.Add(shift.Name))
            {
                context.Error(ConfigContext.Child(context.PathOf(shift), "name"), $"duplicate shift name '{shift.Name}'");
            }

            ValidateBreaks(shift, context);
        }

        for (var i = 0; i < line.Shifts.Count; i++)
        {
            for (var j = i + 1; j < line.Shifts.Count; j++)
            {
                if (FirstOverlap(line.Shifts[i], line.Shifts[j]) is { } day)
                {
                    var a = line.Shifts[i];
                    var b = line.Shifts[j];
                    context.Error(
                        ConfigContext.Child(context.PathOf(b), "start"),
                        $"shift '{b.Name}' ({Span(b.Start, b.End)}) overlaps shift '{a.Name}' ({Span(a.Start, a.End)}) on {day}");
                }
            }
        }
    }

    /// <summary>Minutes from the shift's start to its end; a shift ending at or before its start ends the next day.</summary>
    public static int Length(TimeOnly start, TimeOnly end)
    {
        var length = Minutes(end) - Minutes(start);
        return length <= 0 ? length + Day : length;
    }

    private static DayOfWeek? FirstOverlap(ShiftDefinition a, ShiftDefinition b)
    {
        foreach (var dayA in a.Days)
        {
            var startA = DayIndex(dayA) * Day + Minutes(a.Start);
            var endA = startA + Length(a.Start, a.End);
            foreach (var dayB in b.Days)
            {
                var startB = DayIndex(dayB) * Day + Minutes(b.Start);
                var endB = startB + Length(b.Start, b.End);
                // The week wraps: Sunday's night shift runs into Monday morning.
                for (var shift = -Week; shift <= Week; shift += Week)
                {
                    if (startA < endB + shift && startB + shift < endA)
                    {
                        return dayA == dayB || startA > startB + shift ? dayA : dayB;
                    }
                }
            }
        }

        return null;
    }

    private static void ValidateBreaks(ShiftDefinition shift, ConfigContext context)
    {
        var shiftLength = Length(shift.Start, shift.End);
        var placed = new List<(BreakDefinition Break, int From, int To)>();
        foreach (var item in shift.Breaks)
        {
            var path = context.PathOf(item);
            var from = Offset(shift.Start, item.Start);
            var to = Offset(shift.Start, item.End);
            if (to == 0 && item.End == shift.Start && from > 0)
            {
                to = Day;
            }

            if (from >= shiftLength || to > shiftLength || to <= from)
            {
                context.Error(
                    ConfigContext.Child(path, from >= shiftLength ? "start" : "end"),
                    $"break '{item.Name}' ({Span(item.Start, item.End)}) is not inside shift '{shift.Name}' ({Span(shift.Start, shift.End)})");
                continue;
            }

            foreach (var other in placed)
            {
                if (from < other.To && other.From < to)
                {
                    context.Error(ConfigContext.Child(path, "start"), $"break '{item.Name}' overlaps break '{other.Break.Name}' in shift '{shift.Name}'");
                }
            }

            placed.Add((item, from, to));
        }
    }

    /// <summary>Minutes from the shift start to a local time, wrapping past midnight.</summary>
    private static int Offset(TimeOnly shiftStart, TimeOnly time) => ((Minutes(time) - Minutes(shiftStart)) % Day + Day) % Day;

    private static int Minutes(TimeOnly time) => (time.Hour * 60) + time.Minute;

    private static int DayIndex(DayOfWeek day) => ((int)day + 6) % 7;

    private static string Span(TimeOnly start, TimeOnly end) => $"{start:HH\\:mm}-{end:HH\\:mm}";
}
