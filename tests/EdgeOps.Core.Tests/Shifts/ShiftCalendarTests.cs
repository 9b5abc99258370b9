using EdgeOps.Core.Model;
using EdgeOps.Core.Shifts;
using EdgeOps.Core.Tests.Support;

namespace EdgeOps.Core.Tests.Shifts;

public sealed class ShiftCalendarTests
{
    private static readonly ShiftDefinition Night = new()
    {
        Name = "night",
        Start = new TimeOnly(22, 0),
        End = new TimeOnly(6, 0),
        Days = TestLines.AllDays,
        Breaks = [new BreakDefinition { Name = "meal", Start = new TimeOnly(2, 0), End = new TimeOnly(2, 30) }],
    };

    [Fact]
    public void NightShift_AcrossSpringForward_Is7HoursAndItsBreakFallsAfterTheJump()
    {
        // 2026-03-29: 02:00 CET does not exist; the 02:00 break start is read as 03:00 CEST (01:00Z).
        var calendar = new ShiftCalendar([Night], "Europe/Berlin");

        var shift = calendar.ShiftAt(new DateTimeOffset(2026, 3, 28, 23, 0, 0, TimeSpan.Zero))!;

        Assert.Equal(new DateTimeOffset(2026, 3, 28, 21, 0, 0, TimeSpan.Zero), shift.Start);
        Assert.Equal(new DateTimeOffset(2026, 3, 29, 4, 0, 0, TimeSpan.Zero), shift.End);
        Assert.Equal(TimeSpan.FromHours(7), shift.Duration);
        var meal = Assert.Single(shift.Breaks);
        Assert.Equal(new DateTimeOffset(2026, 3, 29, 1, 0, 0, TimeSpan.Zero), meal.Start);
        Assert.Equal(new DateTimeOffset(2026, 3, 29, 1, 30, 0, TimeSpan.Zero), meal.End);
        Assert.Equal("2026-03-28/night", shift.Id);
    }

    [Fact]
    public void NightShift_AcrossFallBack_Is9Hours()
    {
        var calendar = new ShiftCalendar([Night], "Europe/Berlin");

        var shift = calendar.ShiftAt(new DateTimeOffset(2026, 10, 25, 0, 30, 0, TimeSpan.Zero))!;

        Assert.Equal(TimeSpan.FromHours(9), shift.Duration);
        Assert.Equal(new DateOnly(2026, 10, 24), shift.LocalDate);
    }

    [Fact]
    public void ShiftAt_BetweenShifts_IsNull_AndNextShiftIsTheEarlyOne()
    {
        var calendar = new ShiftCalendar(TestLines.TwoShifts, "Etc/UTC");
        var at = TestLines.Monday.AddHours(23);

        Assert.Null(calendar.ShiftAt(at));
        var next = calendar.NextShiftAfter(at)!;
        Assert.Equal(("early", TestLines.Monday.AddHours(30)), (next.Name, next.Start));
    }

    [Fact]
    public void ShiftAt_OnADayTheShiftDoesNotRun_IsNull()
    {
        var weekdays = new ShiftDefinition { Name = "day", Start = new TimeOnly(8, 0), End = new TimeOnly(16, 0) };
        var calendar = new ShiftCalendar([weekdays], "Europe/Berlin");

        Assert.Null(calendar.ShiftAt(new DateTimeOffset(2026, 11, 28, 10, 0, 0, TimeSpan.Zero))); // Saturday
        Assert.NotNull(calendar.ShiftAt(new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero))); // Friday
    }

    [Fact]
    public void UnknownTimeZone_FailsNamingTheZone()
    {
        var ex = Assert.Throws<ArgumentException>(() => new ShiftCalendar(TestLines.TwoShifts, "Europe/Atlantis"));

        Assert.Contains("'Europe/Atlantis'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BreakOutsideItsShift_FailsNamingBreakAndShift()
    {
        var shift = new ShiftDefinition
        {
            Name = "early",
            Start = new TimeOnly(6, 0),
            End = new TimeOnly(14, 0),
            Breaks = [new BreakDefinition { Name = "tea", Start = new TimeOnly(15, 0), End = new TimeOnly(15, 15) }],
        };

        var ex = Assert.Throws<ArgumentException>(() => new ShiftCalendar([shift], "Etc/UTC"));

        Assert.Contains("'tea'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'early'", ex.Message, StringComparison.Ordinal);
    }
}
