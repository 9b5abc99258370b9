using EdgeOps.Core.Engine.Events;
using EdgeOps.Core.Model;
using EdgeOps.Core.Signals;
using EdgeOps.Core.Tests.Support;

namespace EdgeOps.Core.Tests.Engine;

/// <summary>A single PLC state integer as the machine's state: codes that mean running, unmapped codes, bad values.</summary>
public sealed class StateCodeTests
{
    private static readonly DateTimeOffset Start = TestLines.Monday.AddHours(7);

    /// <summary>The filler of issue 13: 1 producing, 3 infeed empty, 5 tool change; counts are a pulse input.</summary>
    private static MachineDefinition Filler() => new()
    {
        Id = "m1",
        IdealCycleTime = TimeSpan.FromSeconds(0.15),
        StaleAfter = TimeSpan.FromDays(1),
        Signals = [TestLines.Sig("state", SignalRole.StateCode), TestLines.Sig("total", SignalRole.Total)],
        StateCodes = new Dictionary<long, string> { [1] = "running", [3] = "infeed-empty", [5] = "tool-change", [-1] = "fault" },
        Reasons =
        [
            new ReasonCode { Code = "infeed-empty", Label = "Infeed empty", Category = StateCategory.Idle },
            new ReasonCode { Code = "tool-change", Label = "Tool change", Category = StateCategory.Changeover },
        ],
    };

    private static EngineDriver Driver() => new(TestLines.Line(Filler()), Start);

    [Fact]
    public void StateCode_CyclingOneAndThree_AlternatesRunningAndIdle_WithShortSpellsAsMicroStops()
    {
        // One hour: 50 s producing (code 1), 10 s infeed empty (code 3), 60 times. Each idle spell is under the 120 s
        // threshold, so it is a micro-stop: 60 micro-stops of 10 s = 600 s inside run time, no downtime, A = 1.
        var driver = Driver();
        var t = Start;
        for (var i = 0; i < 60; i++)
        {
            driver.Send(t, "state", 1).Send(t.AddSeconds(49), "total", 300).Send(t.AddSeconds(50), "state", 3);
            t = t.AddMinutes(1);
        }

        driver.Send(t, "state", 1);
        var s = driver.Snapshot(t);

        var changes = driver.EventsOf<StateChangedEvent>().Select(e => e.To).ToList();
        Assert.Equal(121, changes.Count); // Offline → Running, then Idle/Running 60 times
        Assert.All(changes.Skip(1).Where((_, i) => i % 2 == 0), c => Assert.Equal(StateCategory.Idle, c));
        Assert.All(changes.Skip(2).Where((_, i) => i % 2 == 0), c => Assert.Equal(StateCategory.Running, c));
        Assert.Equal((StateCategory.Running, "running"), (s.State, s.ReasonCode));
        Assert.Equal((60, TimeSpan.FromSeconds(600)), (s.Kpi.MicroStopCount, s.Kpi.MicroStopTime));
        Assert.Equal(TimeSpan.Zero, s.Kpi.Downtime);
        Assert.Equal(1.0, s.Kpi.Availability!.Value, 4);
        // P = 0.15 s × 18 000 / 3 600 s = 0.7500 (the micro-stops are the performance loss).
        Assert.Equal(18_000, s.ShiftCounts.Total);
        Assert.Equal(0.7500, s.Kpi.Performance!.Value, 4);
    }

    [Fact]
    public void StateCode_IdleSpellPastThreshold_IsDowntimeOfItsReason()
    {
        var s = Driver().Send(Start, "state", 1).Send(Start.AddMinutes(10), "state", 3).Send(Start.AddMinutes(15), "state", 1)
            .Snapshot(Start.AddMinutes(20));

        var reason = Assert.Single(s.Kpi.DowntimeByReason);
        Assert.Equal(("infeed-empty", StateCategory.Idle, 5.0), (reason.ReasonCode, reason.Category, reason.Duration.TotalMinutes));
    }

    [Fact]
    public void StateCode_MappedToRunning_StillLosesToFaultAndPlannedStop()
    {
        var machine = Filler() with
        {
            Signals = [.. Filler().Signals, TestLines.Sig("fault", SignalRole.Fault), TestLines.Sig("planned", SignalRole.PlannedStop)],
        };
        var driver = new EngineDriver(TestLines.Line(machine), Start).Send(Start, "state", 1);
        var running = driver.Snapshot(Start.AddMinutes(1));
        driver.Send(Start.AddMinutes(2), "fault", 1);
        var faulted = driver.Snapshot(Start.AddMinutes(3));
        driver.Send(Start.AddMinutes(4), "planned", 1);
        var planned = driver.Snapshot(Start.AddMinutes(5));

        Assert.Equal(StateCategory.Running, running.State);
        Assert.Equal((StateCategory.Down, "fault"), (faulted.State, faulted.ReasonCode));
        Assert.Equal((StateCategory.PlannedStop, "planned-stop"), (planned.State, planned.ReasonCode));
    }

    [Fact]
    public void StateCode_Unmapped_IsDownUnknown_ReportedOncePerCode()
    {
        var driver = Driver();
        var t = Start;
        var seen = new List<(StateCategory, string)>();
        foreach (var code in new[] { 1, 3, 7, 7, 1, 7, 3, 8, 7, 8, 1 })
        {
            t = t.AddSeconds(30);
            driver.Send(t, "state", code);
            var s = driver.Snapshot(t);
            seen.Add((s.State, s.ReasonCode));
        }

        Assert.Equal((StateCategory.Down, "unknown"), seen[2]); // 7 right after an infeed-empty stop: a stop of its own
        Assert.Equal((StateCategory.Down, "unknown"), seen[7]);
        Assert.Equal((StateCategory.Running, "running"), seen[^1]);
        var events = driver.EventsOf<UnmappedStateCodeEvent>().ToList();
        Assert.Equal([7L, 8L], events.Select(e => e.Code));
        Assert.All(events, e => Assert.Equal(("state", SignalRole.StateCode), (e.SignalName, e.Role)));
        Assert.Equal(Start.AddSeconds(90), events[0].Timestamp);
    }

    [Fact]
    public void StateCode_ReportedCodes_SurviveACheckpoint()
    {
        var driver = Driver().Send(Start, "state", 7);
        Assert.Single(driver.EventsOf<UnmappedStateCodeEvent>());

        var checkpoint = driver.Engine.CreateCheckpoint(Start.AddMinutes(1));
        var restored = new EngineDriver(driver.Catalog, EdgeOps.Core.Engine.LineEngine.Restore(driver.Catalog, checkpoint, Start.AddMinutes(2)));
        restored.Send(Start.AddMinutes(3), "state", 1).Send(Start.AddMinutes(4), "state", 7).Send(Start.AddMinutes(5), "state", 9);

        Assert.Equal([9L], restored.EventsOf<UnmappedStateCodeEvent>().Select(e => e.Code));
    }

    [Theory]
    [InlineData(double.NaN)] // a string or Boolean node: the OPC UA source passes NaN
    [InlineData(-4.0)]       // negative and not mapped
    [InlineData(2.5)]        // not a whole number
    [InlineData(1e300)]      // beyond any PLC integer
    public void StateCode_InvalidValue_IsDownUnknown_ReportedOnceUntilValid(double bad)
    {
        var driver = Driver().Send(Start, "state", 1);
        driver.Send(Start.AddMinutes(1), "state", bad).Send(Start.AddMinutes(2), "state", bad);
        var during = driver.Snapshot(Start.AddMinutes(3));
        driver.Send(Start.AddMinutes(4), "state", 1).Send(Start.AddMinutes(5), "state", bad);
        var after = driver.Snapshot(Start.AddMinutes(6));

        Assert.Equal((StateCategory.Down, "unknown"), (during.State, during.ReasonCode));
        Assert.Equal((StateCategory.Down, "unknown"), (after.State, after.ReasonCode));
        var events = driver.EventsOf<InvalidStateInputEvent>().ToList();
        Assert.Equal(2, events.Count); // one per spell of invalid values, not one per sample
        Assert.All(events, e => Assert.Equal("state", e.SignalName));
        Assert.Contains("not a state code", events[0].Problem, StringComparison.Ordinal);
        Assert.Empty(driver.EventsOf<UnmappedStateCodeEvent>());
    }

    [Fact]
    public void StateCode_NegativeCodeMappedExplicitly_IsValid()
    {
        var driver = Driver().Send(Start, "state", 1).Send(Start.AddMinutes(1), "state", -1);

        var s = driver.Snapshot(Start.AddMinutes(2));

        Assert.Equal((StateCategory.Down, "fault"), (s.State, s.ReasonCode));
        Assert.Empty(driver.EventsOf<InvalidStateInputEvent>());
    }
}
