using EdgeOps.Core.Tests.Support;

namespace EdgeOps.Core.Tests.Engine;

public sealed class ThroughputAndCapacityTests
{
    private static readonly DateTimeOffset Start = TestLines.Monday.AddHours(7);

    [Fact]
    public void Throughput_OnePartEverySixSeconds_Is600PerHourRolling_AndShiftRateOverCalendarTime()
    {
        // One part every 6 s, 07:00:06–07:30:00 = 300 parts. At 07:30:
        //   1 min window  (07:29:01–07:30:00]:  10 parts → 600/h;  15 min window: 150 parts → 600/h
        //   shift (06:00–07:30 = 1.5 h):        300 / 1.5 = 200/h
        //   projected: scheduled 480 − 30 (break) = 450 min, 90 min elapsed, 360 min left at 300/90 min → 300 + 1 200 = 1 500
        //   theoretical so far: PPT 30 min (the hour before the start is offline) / 6 s = 300; target 500/h × 0.5 h = 250
        var driver = new EngineDriver(TestLines.Line(TestLines.FullMachine()), Start);
        driver.Send(Start, "running", 1);
        for (var i = 1; i <= 300; i++)
        {
            driver.Send(Start.AddSeconds(6 * i), "total", 1);
        }

        var s = driver.Snapshot(Start.AddMinutes(30));

        Assert.Equal(600, s.Kpi.ThroughputPerHour1Min, 6);
        Assert.Equal(600, s.Kpi.ThroughputPerHour15Min, 6);
        Assert.Equal(200, s.Kpi.ThroughputPerHourShift, 6);
        Assert.Equal(1500, s.Capacity.ProjectedOutput, 6);
        Assert.Equal(300, s.Capacity.TheoreticalOutput, 6);
        Assert.Equal(250, s.Capacity.Target!.Value, 6);
        Assert.Equal(4500, s.Capacity.TheoreticalOutputShift, 6);
        Assert.Equal(1.0, s.Kpi.Performance!.Value, 6);
    }

    [Fact]
    public void LineSnapshot_Output_IsTheLastMachinesGoodCount()
    {
        var line = TestLines.Line(TestLines.FullMachine("m1"), TestLines.FullMachine("m2"));
        var driver = new EngineDriver(line, Start);
        driver.Send(Start, "total", 50, "m1").Send(Start, "total", 40, "m2").Send(Start, "reject", 3, "m2");

        var snapshot = driver.Engine.GetLineSnapshot(Start.AddMinutes(1));

        Assert.Equal(("m2", 37L), (snapshot.OutputMachineId, snapshot.LineOutput));
        Assert.Equal(2, snapshot.Machines.Count);
        Assert.Equal("early", snapshot.Shift!.Name);
    }
}
