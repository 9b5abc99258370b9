using EdgeOps.Core.Engine.Events;
using EdgeOps.Core.Model;
using EdgeOps.Core.Tests.Support;

namespace EdgeOps.Core.Tests.Engine;

public sealed class ShiftBoundaryTests
{
    private static readonly DateTimeOffset D = TestLines.Monday;

    [Fact]
    public void ShiftBoundary_StartsNewShiftCountsAtZero_LifetimeCarriesOn()
    {
        var driver = new EngineDriver(TestLines.Line(TestLines.FullMachine()), D.AddHours(13));
        driver.Send(D.AddHours(13), "running", 1).Send(D.AddHours(13.5), "total", 100).Advance(D.AddHours(14));
        driver.Send(D.AddHours(14.5), "total", 30);

        var s = driver.Snapshot(D.AddHours(15));

        Assert.Equal(30, s.ShiftCounts.Total);
        Assert.Equal(130, s.LifetimeCounts.Total);
        Assert.Equal("late", s.Shift!.Name);
        var closed = Assert.Single(driver.EventsOf<ShiftClosedEvent>());
        Assert.Equal((100L, "early", "2026-11-23/early"), (closed.Record.Counts.Total, closed.Record.ShiftName, closed.Record.ShiftId));
        Assert.Equal(D.AddHours(14), closed.Timestamp);
    }

    [Fact]
    public void LateSignal_LandingInPreviousShift_RevisesItAndNotTheCurrentOne()
    {
        // Early closes at 14:00 with 100. At 14:05 a buffered pulse stamped 13:59 arrives: early → 101, revision 1.
        var driver = new EngineDriver(TestLines.Line(TestLines.FullMachine()), D.AddHours(13));
        driver.Send(D.AddHours(13), "running", 1).Send(D.AddHours(13.5), "total", 100).Advance(D.AddHours(14.05));
        driver.Send(D.AddHours(14).AddMinutes(-1), "total", 1).Send(D.AddHours(14).AddMinutes(-1), "total", 1);

        driver.Advance(D.AddHours(14.1));

        var revised = Assert.Single(driver.EventsOf<ShiftRevisedEvent>());
        Assert.Equal((102L, 1, "early"), (revised.Record.Counts.Total, revised.Record.Revision, revised.Record.ShiftName));
        var s = driver.Snapshot(D.AddHours(14.2));
        Assert.Equal(0, s.ShiftCounts.Total);
        Assert.Equal(102, s.LifetimeCounts.Total);
    }

    [Fact]
    public void LateSignal_OlderThanRetainedShifts_IsReportedAndNotCounted()
    {
        var driver = new EngineDriver(TestLines.Line(TestLines.FullMachine()), D.AddHours(6));
        driver.Send(D.AddHours(6), "running", 1).Advance(D.AddDays(3));

        driver.Send(D.AddHours(7), "total", 5).Advance(D.AddDays(3).AddSeconds(1));

        var dropped = Assert.Single(driver.EventsOf<LateDataDroppedEvent>());
        Assert.Equal(("total", D.AddHours(7), 5.0), (dropped.SignalName, dropped.SignalTimestamp, dropped.Value));
        Assert.Equal(0, driver.Snapshot(D.AddDays(3).AddSeconds(2)).LifetimeCounts.Total);
    }

    [Fact]
    public void CountsBetweenShifts_GoToLifetimeOnly_NeverIntoAShiftRecord()
    {
        // 22:00–06:00 is no shift. 40 parts at 23:00 are lifetime counts; the early shift starts at zero.
        var driver = new EngineDriver(TestLines.Line(TestLines.FullMachine()), D.AddHours(21));
        driver.Send(D.AddHours(21), "running", 1).Send(D.AddHours(21.5), "total", 10).Advance(D.AddHours(22));
        var gap = driver.Send(D.AddHours(23), "total", 40).Snapshot(D.AddHours(23.5));
        Assert.Null(gap.Shift);

        var s = driver.Snapshot(D.AddHours(30.5));

        Assert.Equal("early", s.Shift!.Name);
        Assert.Equal(0, s.ShiftCounts.Total);
        Assert.Equal(50, s.LifetimeCounts.Total);
        Assert.Equal(10, Assert.Single(driver.EventsOf<ShiftClosedEvent>()).Record.Counts.Total);
    }

    [Fact]
    public void StopAcrossShiftBoundary_IsBookedInBothShifts()
    {
        // Fault 13:50–14:10: early gets 10 min downtime, late gets 10 min.
        var driver = new EngineDriver(TestLines.Line(TestLines.FullMachine()), D.AddHours(13));
        driver.Send(D.AddHours(13), "running", 1).Send(D.AddHours(14).AddMinutes(-10), "fault", 1)
            .Advance(D.AddHours(14)).Send(D.AddHours(14).AddMinutes(10), "fault", 0);

        var s = driver.Snapshot(D.AddHours(15));

        var early = Assert.Single(driver.EventsOf<ShiftClosedEvent>()).Record;
        Assert.Equal(TimeSpan.FromMinutes(10), early.Kpi.Downtime);
        Assert.Equal(TimeSpan.FromMinutes(10), s.Kpi.Downtime);
        Assert.Equal(TimeSpan.FromMinutes(50), s.Kpi.RunTime);
    }

    [Fact]
    public void NightShiftAcrossSpringForward_InBerlin_Lasts7Hours()
    {
        // 2026-03-29 02:00 CET → 03:00 CEST. Night 22:00 Sat (21:00Z) → 06:00 Sun CEST (04:00Z) = 7 h.
        var night = new ShiftDefinition
        {
            Name = "night", Start = new TimeOnly(22, 0), End = new TimeOnly(6, 0), Days = TestLines.AllDays,
        };
        var line = TestLines.Line([night], "Europe/Berlin", TestLines.FullMachine());
        var start = new DateTimeOffset(2026, 3, 28, 21, 0, 0, TimeSpan.Zero);
        var driver = new EngineDriver(line, start);
        driver.Send(start, "running", 1).Send(start.AddHours(3), "total", 700).Advance(start.AddHours(7));

        var record = Assert.Single(driver.EventsOf<ShiftClosedEvent>()).Record;

        Assert.Equal(TimeSpan.FromHours(7), record.Kpi.CalendarTime);
        Assert.Equal(TimeSpan.FromHours(7), record.Kpi.RunTime);
        Assert.Equal(new DateOnly(2026, 3, 28), record.LocalDate);
        Assert.Equal(100, record.Kpi.ThroughputPerHourShift, 4);
    }

    [Fact]
    public void NightShiftAcrossFallBack_InBerlin_Lasts9Hours()
    {
        // 2026-10-25 03:00 CEST → 02:00 CET. Night 22:00 Sat CEST (20:00Z) → 06:00 Sun CET (05:00Z) = 9 h.
        var night = new ShiftDefinition
        {
            Name = "night", Start = new TimeOnly(22, 0), End = new TimeOnly(6, 0), Days = TestLines.AllDays,
        };
        var line = TestLines.Line([night], "Europe/Berlin", TestLines.FullMachine());
        var start = new DateTimeOffset(2026, 10, 24, 20, 0, 0, TimeSpan.Zero);
        var driver = new EngineDriver(line, start);
        driver.Send(start, "running", 1).Advance(start.AddHours(9));

        var record = Assert.Single(driver.EventsOf<ShiftClosedEvent>()).Record;

        Assert.Equal(TimeSpan.FromHours(9), record.Kpi.CalendarTime);
        Assert.Equal(start.AddHours(9), record.End);
    }

    [Fact]
    public void StaleInput_PutsMachineOffline_OfflineTimeIsNotDowntime()
    {
        // StaleAfter 30 s. Last signal 07:00:00 → Offline from 07:00:30 until data returns at 07:10:30 (10 min).
        var start = D.AddHours(7);
        var driver = new EngineDriver(TestLines.Line(TestLines.FullMachine(staleAfter: TimeSpan.FromSeconds(30))), start);
        driver.Send(start, "running", 1).Advance(start.AddMinutes(5));
        var offline = driver.Snapshot(start.AddMinutes(5));
        Assert.Equal(StateCategory.Offline, offline.State);
        Assert.True(offline.Kpi.Stale);
        Assert.Equal(start.AddSeconds(30), offline.StateSince);

        driver.Send(start.AddMinutes(10).AddSeconds(30), "running", 1);
        var s = driver.Snapshot(start.AddMinutes(10).AddSeconds(40));

        Assert.Equal(StateCategory.Running, s.State);
        Assert.False(s.Kpi.Stale);
        Assert.Equal(TimeSpan.Zero, s.Kpi.Downtime);
        // Calendar 06:00–07:10:40: offline 1 h (before start) + 10 min; coverage = 40 s / 70 min 40 s.
        Assert.Equal(TimeSpan.FromMinutes(70), s.Kpi.OfflineTime);
        Assert.Equal(40.0 / 4240.0, s.Kpi.Coverage, 6);
    }

    [Fact]
    public void BadQualitySignal_PutsMachineOfflineAtOnce_UntilGoodValue()
    {
        var start = D.AddHours(7);
        var driver = new EngineDriver(TestLines.Line(TestLines.FullMachine()), start);
        driver.Send(start, "running", 1).Send(start.AddMinutes(1), "running", 1, quality: Signals.SignalQuality.Bad);
        Assert.Equal(StateCategory.Offline, driver.Snapshot(start.AddMinutes(1)).State);

        driver.Send(start.AddMinutes(2), "running", 1);

        Assert.Equal(StateCategory.Running, driver.Snapshot(start.AddMinutes(2)).State);
    }

    [Fact]
    public void AnalogSignal_RefreshesFreshnessOnly()
    {
        var start = D.AddHours(7);
        var driver = new EngineDriver(TestLines.Line(TestLines.FullMachine(staleAfter: TimeSpan.FromSeconds(30))), start);
        driver.Send(start, "running", 1);
        for (var i = 1; i <= 20; i++)
        {
            driver.Send(start.AddSeconds(10 * i), "vibration", 4.2);
        }

        var s = driver.Snapshot(start.AddSeconds(200));

        Assert.Equal(StateCategory.Running, s.State);
        Assert.Equal(0, s.ShiftCounts.Total);
    }
}
