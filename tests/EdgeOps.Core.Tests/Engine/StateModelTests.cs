using EdgeOps.Core.Engine.Events;
using EdgeOps.Core.Model;
using EdgeOps.Core.Tests.Support;

namespace EdgeOps.Core.Tests.Engine;

public sealed class StateModelTests
{
    private static readonly DateTimeOffset Start = TestLines.Monday.AddHours(7);

    private static EngineDriver Running() =>
        new EngineDriver(TestLines.Line(TestLines.FullMachine()), Start).Send(Start, "running", 1);

    [Fact]
    public void State_BeforeAnySignal_IsOffline()
    {
        var s = new EngineDriver(TestLines.Line(TestLines.FullMachine()), Start).Snapshot(Start.AddSeconds(5));

        Assert.Equal(StateCategory.Offline, s.State);
        Assert.True(s.Kpi.Stale);
    }

    [Fact]
    public void State_FaultWhileRunningAndStarved_IsDownWithFault()
    {
        var s = Running().Send(Start.AddMinutes(1), "starved", 1).Send(Start.AddMinutes(1), "fault", 1).Snapshot(Start.AddMinutes(2));

        Assert.Equal((StateCategory.Down, "fault"), (s.State, s.ReasonCode));
    }

    [Fact]
    public void State_StarvedWhileRunning_IsIdleStarved()
    {
        var s = Running().Send(Start.AddMinutes(1), "starved", 1).Snapshot(Start.AddMinutes(2));

        Assert.Equal((StateCategory.Idle, "starved"), (s.State, s.ReasonCode));
    }

    [Fact]
    public void State_ChangeoverAndBlocked_IsChangeover()
    {
        var s = Running().Send(Start.AddMinutes(1), "blocked", 1).Send(Start.AddMinutes(1), "changeover", 1).Snapshot(Start.AddMinutes(2));

        Assert.Equal((StateCategory.Changeover, "changeover"), (s.State, s.ReasonCode));
    }

    [Fact]
    public void State_PlannedStopInputOverFault_IsPlannedStopAndNotDowntime()
    {
        var s = Running().Send(Start.AddMinutes(1), "fault", 1).Send(Start.AddMinutes(1), "planned", 1).Snapshot(Start.AddMinutes(31));

        Assert.Equal(StateCategory.PlannedStop, s.State);
        Assert.Equal(TimeSpan.FromMinutes(30), s.Kpi.PlannedStopTime);
        Assert.Equal(TimeSpan.Zero, s.Kpi.Downtime);
    }

    [Fact]
    public void State_RunningSignalDropsWithNoReason_IsDownUnknown()
    {
        var driver = Running().Send(Start.AddMinutes(1), "running", 0);

        var s = driver.Snapshot(Start.AddMinutes(2));

        Assert.Equal((StateCategory.Down, "unknown"), (s.State, s.ReasonCode));
        var change = driver.EventsOf<StateChangedEvent>().Last();
        Assert.Equal((StateCategory.Running, StateCategory.Down, "unknown"), (change.From, change.To, change.ReasonCode));
        Assert.Equal(s.CurrentStopId, change.StopId);
    }

    [Fact]
    public void Stop_UnknownThenFault_IsOneFaultStop()
    {
        // The machine stops, then a fault code explains it: one Down stop with reason fault, not two.
        var driver = Running()
            .Send(Start.AddMinutes(1), "running", 0)
            .Send(Start.AddMinutes(2), "fault", 1)
            .Send(Start.AddMinutes(6), "fault", 0)
            .Send(Start.AddMinutes(7), "running", 1);

        var s = driver.Snapshot(Start.AddMinutes(10));

        Assert.Equal((1, 1), (s.Kpi.StopCount, s.Kpi.DownStopCount));
        var fault = Assert.Single(s.Kpi.DowntimeByReason);
        Assert.Equal(("fault", TimeSpan.FromMinutes(6)), (fault.ReasonCode, fault.Duration));
    }

    [Fact]
    public void Stop_FaultThenStarved_IsTwoStopsAndOnlyTheFaultIsAFailure()
    {
        // fault 07:01–07:05 (4 min), then starved 07:05–07:08 (3 min). MTBF counts Down stops only: 1.
        var s = Running()
            .Send(Start.AddMinutes(1), "fault", 1)
            .Send(Start.AddMinutes(5), "starved", 1).Send(Start.AddMinutes(5), "fault", 0)
            .Send(Start.AddMinutes(8), "starved", 0)
            .Snapshot(Start.AddMinutes(10));

        Assert.Equal((2, 1), (s.Kpi.StopCount, s.Kpi.DownStopCount));
        Assert.Equal(TimeSpan.FromMinutes(4), s.Kpi.Mttr);
        Assert.Equal(TimeSpan.FromMinutes(3), s.Kpi.MicroStopTime + s.Kpi.Downtime - TimeSpan.FromMinutes(4));
    }

    [Fact]
    public void Break_MachineRunsThrough_IsProductionTime()
    {
        // Running through the 10:00–10:30 break: no planned stop, all run time.
        var driver = new EngineDriver(TestLines.Line(TestLines.FullMachine()), TestLines.Monday.AddHours(9));
        driver.Send(TestLines.Monday.AddHours(9), "running", 1);

        var s = driver.Snapshot(TestLines.Monday.AddHours(11));

        Assert.Equal(TimeSpan.Zero, s.Kpi.PlannedStopTime);
        Assert.Equal(TimeSpan.FromHours(2), s.Kpi.RunTime);
        Assert.Equal(StateCategory.Running, s.State);
    }

    [Fact]
    public void Break_MachineStopsDuringBreak_IsPlannedStopThenDowntimeAfterIt()
    {
        // Stops at 10:10 inside the break: planned until 10:30, then a stop (unknown) until it restarts at 10:40.
        var day = TestLines.Monday;
        var driver = new EngineDriver(TestLines.Line(TestLines.FullMachine()), day.AddHours(9));
        driver.Send(day.AddHours(9), "running", 1).Send(day.AddHours(10).AddMinutes(10), "running", 0);
        Assert.Equal("break", driver.Snapshot(day.AddHours(10).AddMinutes(20)).ReasonCode);
        driver.Send(day.AddHours(10).AddMinutes(40), "running", 1);

        var s = driver.Snapshot(day.AddHours(11));

        Assert.Equal(TimeSpan.FromMinutes(20), s.Kpi.PlannedStopTime);
        Assert.Equal(TimeSpan.FromMinutes(10), s.Kpi.Downtime);
        Assert.Equal(TimeSpan.FromMinutes(90), s.Kpi.RunTime);
        Assert.True(s.Shift!.InBreak is false);
    }

    [Fact]
    public void PlannedStopCommand_StartsAndEndsAPlannedStop()
    {
        var driver = Running();
        Assert.True(driver.Engine.SetPlannedStop("m1", true, Start.AddMinutes(10)));
        Assert.Equal(StateCategory.PlannedStop, driver.Snapshot(Start.AddMinutes(20)).State);
        Assert.True(driver.Engine.SetPlannedStop("m1", false, Start.AddMinutes(40)));

        var s = driver.Snapshot(Start.AddMinutes(60));

        Assert.Equal(StateCategory.Running, s.State);
        Assert.Equal(TimeSpan.FromMinutes(30), s.Kpi.PlannedStopTime);
        Assert.False(driver.Engine.SetPlannedStop("nope", true, Start.AddMinutes(60), out var error));
        Assert.Contains("'nope'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Performance_AboveOne_IsReportedAsIsAndFlagged()
    {
        // 60 min running at ideal 6 s could make 600; 700 counted → P = 700 × 6 / 3600 = 1.1667.
        var s = Running().Send(Start.AddMinutes(30), "total", 700).Snapshot(Start.AddMinutes(60));

        Assert.Equal(1.1667, s.Kpi.Performance!.Value, 4);
        Assert.True(s.Kpi.PerformanceFlagged);
    }

    [Fact]
    public void FaultCode_MappedToConfiguredReason_TakesThatReasonAndItsCategory()
    {
        var machine = TestLines.FullMachine() with
        {
            FaultCodes = new Dictionary<long, string> { [17] = "tool-change", [23] = "material" },
        };
        var driver = new EngineDriver(TestLines.Line(machine), Start).Send(Start, "running", 1);

        driver.Send(Start.AddMinutes(1), "fault", 17);
        var toolChange = driver.Snapshot(Start.AddMinutes(2));
        driver.Send(Start.AddMinutes(3), "fault", 23);
        var material = driver.Snapshot(Start.AddMinutes(4));

        Assert.Equal((StateCategory.Down, "tool-change"), (toolChange.State, toolChange.ReasonCode));
        Assert.Equal((StateCategory.Idle, "material"), (material.State, material.ReasonCode));
    }

    [Fact]
    public void StateCode_MappedByConfig_GivesCategoryAndReason()
    {
        var machine = new MachineDefinition
        {
            Id = "m1",
            IdealCycleTime = TimeSpan.FromSeconds(6),
            StaleAfter = TimeSpan.FromDays(1),
            Signals = [TestLines.Sig("state", Signals.SignalRole.StateCode)],
            StateCodes = new Dictionary<long, string> { [1] = "running", [2] = "changeover", [3] = "meeting", [4] = "fault" },
        };
        var driver = new EngineDriver(TestLines.Line(machine), Start);

        var seen = new List<(StateCategory, string)>();
        var t = Start;
        foreach (var code in new[] { 1, 2, 3, 4, 99 })
        {
            t = t.AddMinutes(1);
            driver.Send(t, "state", code);
            var s = driver.Snapshot(t);
            seen.Add((s.State, s.ReasonCode));
        }

        Assert.Equal(
            [
                (StateCategory.Running, "running"),
                (StateCategory.Changeover, "changeover"),
                (StateCategory.PlannedStop, "meeting"),
                (StateCategory.Down, "fault"),
                (StateCategory.Down, "unknown"), // unmapped code: the PLC reports a state nobody mapped, a stop of its own
            ],
            seen);
    }
}
