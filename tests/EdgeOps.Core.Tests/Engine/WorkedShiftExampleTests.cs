using EdgeOps.Core.Engine.Events;
using EdgeOps.Core.Tests.Support;

namespace EdgeOps.Core.Tests.Engine;

/// <summary>
/// One 8 h shift computed by hand and replayed through the engine.
///
/// Shift "early" 06:00–14:00 UTC = 480 min, break 10:00–10:30 (the machine is stopped during it).
/// Ideal cycle time 6 s. Micro-stop threshold 120 s (default).
/// Stops: 07:00–07:20 fault (Down, 20 min), 09:00–09:10 starved (Idle, 10 min), 12:00–12:15 fault (Down, 15 min).
/// Counts: total 3 800, reject 76, rework 38 → good 3 724.
///
///   planned stop time = 30 min (break while not running)
///   PPT       = 480 − 30                    = 450 min = 27 000 s
///   downtime  = 20 + 10 + 15                = 45 min
///   run time  = 450 − 45                    = 405 min = 24 300 s
///   A         = 405 / 450                   = 0.9000
///   P         = 6 s × 3 800 / 24 300 s      = 22 800 / 24 300 = 0.93827… → 0.9383
///   Q         = 3 724 / 3 800               = 0.9800
///   OEE       = 0.9 × 0.93827 × 0.98        = 0.82756… → 0.8276  (check: 3 724 × 6 / 27 000 = 0.82756)
///   FPY       = (3 800 − 76 − 38) / 3 800   = 3 686 / 3 800 = 0.9700
///   MTBF      = run time / Down stops       = 405 min / 2 = 202.5 min (the starved stop is not a failure)
///   MTTR      = Down time / Down stops      = (20 + 15) / 2 = 17.5 min
///   actual cycle time = 24 300 s / 3 800    = 6.3947 s
///   throughput (shift) = 3 724 / 8 h        = 465.5 good/h
///   theoretical output = 27 000 s / 6 s     = 4 500;  utilization = 405 / 480 = 0.8438
///   target = 500/h × 7.5 h PPT              = 3 750
/// </summary>
public sealed class WorkedShiftExampleTests
{
    private static readonly DateTimeOffset D = TestLines.Monday;

    private static DateTimeOffset T(int h, int m) => D.AddHours(h).AddMinutes(m);

    private static EngineDriver ReplayShift()
    {
        var driver = new EngineDriver(TestLines.Line(TestLines.FullMachine()), T(6, 0));
        driver.Send(T(6, 0), "running", 1)
            .Send(T(6, 30), "total", 950)
            .Send(T(7, 0), "fault", 1).Send(T(7, 0), "running", 0)
            .Send(T(7, 20), "fault", 0).Send(T(7, 20), "running", 1)
            .Send(T(8, 0), "total", 950)
            .Send(T(9, 0), "starved", 1)
            .Send(T(9, 10), "starved", 0)
            .Send(T(10, 0), "running", 0)
            .Send(T(10, 30), "running", 1)
            .Send(T(11, 0), "total", 950)
            .Send(T(12, 0), "fault", 1)
            .Send(T(12, 15), "fault", 0)
            .Send(T(13, 0), "total", 950)
            .Send(T(13, 30), "reject", 76)
            .Send(T(13, 30), "rework", 38);
        return driver;
    }

    [Fact]
    public void ShiftClose_WorkedExample_MatchesHandComputedKpis()
    {
        var driver = ReplayShift().Advance(T(14, 0));

        var record = Assert.Single(driver.EventsOf<ShiftClosedEvent>()).Record;
        var k = record.Kpi;
        Assert.Equal("early", record.ShiftName);
        Assert.Equal(0, record.Revision);
        Assert.True(record.Closed);
        Assert.Equal((3800, 3724, 76, 38), (record.Counts.Total, record.Counts.Good, record.Counts.Reject, record.Counts.Rework));
        Assert.Equal(TimeSpan.FromMinutes(480), k.CalendarTime);
        Assert.Equal(TimeSpan.FromMinutes(30), k.PlannedStopTime);
        Assert.Equal(TimeSpan.FromMinutes(450), k.PlannedProductionTime);
        Assert.Equal(TimeSpan.FromMinutes(45), k.Downtime);
        Assert.Equal(TimeSpan.FromMinutes(405), k.RunTime);
        Assert.Equal(0.9000, k.Availability!.Value, 4);
        Assert.Equal(0.9383, k.Performance!.Value, 4);
        Assert.Equal(0.9800, k.Quality!.Value, 4);
        Assert.Equal(0.8276, k.Oee!.Value, 4);
        Assert.Equal(0.9700, k.FirstPassYield!.Value, 4);
        Assert.Equal(202.5, k.Mtbf!.Value.TotalMinutes, 4);
        Assert.Equal(17.5, k.Mttr!.Value.TotalMinutes, 4);
        Assert.Equal(6.3947, k.ActualCycleTime!.Value.TotalSeconds, 4);
        Assert.Equal(465.5, k.ThroughputPerHourShift, 4);
        Assert.Equal((3, 2, 0), (k.StopCount, k.DownStopCount, k.MicroStopCount));
        Assert.False(k.PerformanceFlagged);
        Assert.Equal(1.0, k.Coverage, 4);
        Assert.Equal(4500, record.Capacity.TheoreticalOutput, 4);
        Assert.Equal(0.8438, record.Capacity.Utilization!.Value, 4);
        Assert.Equal(3750, record.Capacity.Target!.Value, 4);
    }

    [Fact]
    public void ShiftClose_WorkedExample_SplitsDowntimeByReasonLongestFirst()
    {
        var record = Assert.Single(ReplayShift().Advance(T(14, 0)).EventsOf<ShiftClosedEvent>()).Record;

        Assert.Collection(
            record.Kpi.DowntimeByReason,
            fault => Assert.Equal(("fault", 35.0, 2), (fault.ReasonCode, fault.Duration.TotalMinutes, fault.Count)),
            starved => Assert.Equal(("starved", 10.0, 1), (starved.ReasonCode, starved.Duration.TotalMinutes, starved.Count)));
    }

    [Fact]
    public void Snapshot_MidStop_CountsTheOpenStopAsDowntimeOnceOverThreshold()
    {
        // 07:10, ten minutes into the first fault: calendar 70 min, run 60 min, downtime 10 min, A = 60/70 = 0.8571.
        var driver = new EngineDriver(TestLines.Line(TestLines.FullMachine()), T(6, 0));
        driver.Send(T(6, 0), "running", 1).Send(T(7, 0), "fault", 1);

        var s = driver.Snapshot(T(7, 10));

        Assert.Equal(EdgeOps.Core.Model.StateCategory.Down, s.State);
        Assert.Equal("fault", s.ReasonCode);
        Assert.Equal(TimeSpan.FromMinutes(10), s.CurrentStopDuration);
        Assert.Equal(T(7, 0), s.CurrentStopStart);
        Assert.Equal(TimeSpan.FromMinutes(10), s.Kpi.Downtime);
        Assert.Equal(TimeSpan.FromMinutes(60), s.Kpi.RunTime);
        Assert.Equal(0.8571, s.Kpi.Availability!.Value, 4);
        Assert.Equal(1, s.Kpi.DownStopCount);
        Assert.Equal("early", s.Shift!.Name);
        Assert.Equal(TimeSpan.FromMinutes(410), s.Shift.TimeLeft);
    }
}
