using EdgeOps.Core.Engine.Events;
using EdgeOps.Core.Model;
using EdgeOps.Core.Signals;
using EdgeOps.Core.Tests.Support;

namespace EdgeOps.Core.Tests.Engine;

/// <summary>
/// The PackML preset (stateModel: packml) with a unit mode and a stop reason, replayed through the engine.
///
/// Shift "day" 06:00–08:00 UTC = 120 min = 7 200 s, no breaks. Ideal cycle time 1.5 s, micro-stop threshold 120 s.
///   06:00:00  Idle (4), unit mode 1 Production          Idle / not-producing: a stop begins
///   06:05:00  Starting (3)                               still not-producing: the same stop
///   06:06:00  Execute (6)                                Running; the stop lasted 6 min = 360 s ≥ 120 s → downtime
///   06:30:00  Suspended (5)                              Idle / starved-or-blocked
///   06:31:30  Execute (6)                                the stop lasted 90 s < 120 s → a micro-stop (run time)
///   07:00:00  Holding (10), 07:00:30 Held (11), 07:09:30 Unholding (12): Down / held, one stop
///   07:10:00  Execute (6)                                held lasted 10 min = 600 s → downtime
///   07:20:00  unit mode 2 Maintenance, then Stopped (2)  PlannedStop / maintenance-mode (the mode wins)
///   07:40:00  Execute (6), then unit mode 1              Running again: 20 min = 1 200 s planned
///   counts: total 1 000 at 06:20, 07:15 and 07:50 = 3 000; reject 60 at 07:55 → good 2 940.
///
///   planned stop = 1 200 s;  PPT = 7 200 − 1 200 = 6 000 s
///   downtime     = 360 (not-producing) + 600 (held) = 960 s;  run = 6 000 − 960 = 5 040 s
///   A   = 5 040 / 6 000                     = 0.8400
///   P   = 1.5 × 3 000 / 5 040 = 4 500 / 5 040 = 0.892857… → 0.8929
///   Q   = 2 940 / 3 000                     = 0.9800
///   OEE = 0.84 × 0.892857 × 0.98            = 0.7350  (check: 2 940 × 1.5 / 6 000 = 4 410 / 6 000 = 0.735)
///   micro-stops: 1, 90 s;  stops counted as downtime: 2, of which Down: 1 (held; not-producing is Idle)
///   MTBF = 5 040 s / 1 = 84 min;  MTTR = 600 s / 1 = 10 min
/// </summary>
public sealed class PackMlTests
{
    private static readonly DateTimeOffset D = TestLines.Monday;

    private static DateTimeOffset T(int h, int m, int s = 0) => D.AddHours(h).AddMinutes(m).AddSeconds(s);

    private static readonly IReadOnlyList<ShiftDefinition> DayShift =
        [new ShiftDefinition { Name = "day", Start = new TimeOnly(6, 0), End = new TimeOnly(8, 0), Days = TestLines.AllDays }];

    private static MachineDefinition Filler(IReadOnlyDictionary<long, string>? stateCodes = null) => new()
    {
        Id = "m1",
        IdealCycleTime = TimeSpan.FromSeconds(1.5),
        StaleAfter = TimeSpan.FromDays(1),
        StateModel = StateModel.PackMl,
        StateCodes = stateCodes ?? new Dictionary<long, string>(),
        FaultCodes = new Dictionary<long, string> { [101] = "material-jam" },
        Reasons = [new ReasonCode { Code = "material-jam", Label = "Material jam", Category = StateCategory.Down }],
        Signals =
        [
            TestLines.Sig("state", SignalRole.StateCode),
            TestLines.Sig("mode", SignalRole.UnitMode),
            TestLines.Sig("stop-reason", SignalRole.StopReason),
            TestLines.Sig("total", SignalRole.Total),
            TestLines.Sig("reject", SignalRole.Reject),
        ],
    };

    private static EngineDriver Replay()
    {
        var driver = new EngineDriver(TestLines.Line(DayShift, "Etc/UTC", Filler()), T(6, 0));
        return driver
            .Send(T(6, 0), "state", 4).Send(T(6, 0), "mode", 1)
            .Send(T(6, 5), "state", 3)
            .Send(T(6, 6), "state", 6)
            .Send(T(6, 20), "total", 1000)
            .Send(T(6, 30), "state", 5)
            .Send(T(6, 31, 30), "state", 6)
            .Send(T(7, 0), "state", 10).Send(T(7, 0, 30), "state", 11).Send(T(7, 9, 30), "state", 12)
            .Send(T(7, 10), "state", 6)
            .Send(T(7, 15), "total", 1000)
            .Send(T(7, 20), "mode", 2).Send(T(7, 20), "state", 2)
            .Send(T(7, 40), "state", 6).Send(T(7, 40), "mode", 1)
            .Send(T(7, 50), "total", 1000)
            .Send(T(7, 55), "reject", 60);
    }

    [Fact]
    public void PackMlShift_WithSuspendHeldAndMaintenanceMode_GivesHandComputedKpis()
    {
        var record = Assert.Single(Replay().Advance(T(8, 0)).EventsOf<ShiftClosedEvent>()).Record;
        var k = record.Kpi;

        Assert.Equal((3000, 2940, 60), (record.Counts.Total, record.Counts.Good, record.Counts.Reject));
        Assert.Equal(TimeSpan.FromSeconds(7200), k.CalendarTime);
        Assert.Equal(TimeSpan.FromSeconds(1200), k.PlannedStopTime);
        Assert.Equal(TimeSpan.FromSeconds(6000), k.PlannedProductionTime);
        Assert.Equal(TimeSpan.FromSeconds(960), k.Downtime);
        Assert.Equal(TimeSpan.FromSeconds(5040), k.RunTime);
        Assert.Equal(0.8400, k.Availability!.Value, 4);
        Assert.Equal(0.8929, k.Performance!.Value, 4);
        Assert.Equal(0.9800, k.Quality!.Value, 4);
        Assert.Equal(0.7350, k.Oee!.Value, 4);
        Assert.Equal((1, TimeSpan.FromSeconds(90)), (k.MicroStopCount, k.MicroStopTime));
        Assert.Equal((2, 1), (k.StopCount, k.DownStopCount));
        Assert.Equal(84.0, k.Mtbf!.Value.TotalMinutes, 4);
        Assert.Equal(10.0, k.Mttr!.Value.TotalMinutes, 4);
        Assert.Equal(1.0, k.Coverage, 4);
        Assert.Collection(
            k.DowntimeByReason,
            held => Assert.Equal(("held", StateCategory.Down, 600.0, 1), (held.ReasonCode, held.Category, held.Duration.TotalSeconds, held.Count)),
            idle => Assert.Equal(("not-producing", StateCategory.Idle, 360.0, 1), (idle.ReasonCode, idle.Category, idle.Duration.TotalSeconds, idle.Count)));
    }

    [Fact]
    public void PackMlShift_StatesAlongTheWay_FollowThePresetTable()
    {
        var driver = Replay();
        var seen = driver.EventsOf<StateChangedEvent>().Select(e => (e.Timestamp, e.To, e.ReasonCode)).ToList();

        Assert.Equal(
            [
                (T(6, 0), StateCategory.Idle, "not-producing"),
                (T(6, 6), StateCategory.Running, "running"),
                (T(6, 30), StateCategory.Idle, "starved-or-blocked"),
                (T(6, 31, 30), StateCategory.Running, "running"),
                (T(7, 0), StateCategory.Down, "held"),
                (T(7, 10), StateCategory.Running, "running"),
                (T(7, 20), StateCategory.PlannedStop, "maintenance-mode"),
                (T(7, 40), StateCategory.Running, "running"),
            ],
            seen);
        Assert.Empty(driver.EventsOf<UnmappedStateCodeEvent>());
    }

    [Fact]
    public void PackMl_EveryStandardState_MapsToItsCategory()
    {
        var expected = new Dictionary<int, (StateCategory, string)>
        {
            [1] = (StateCategory.Down, "clearing"), [2] = (StateCategory.Down, "stopped"), [3] = (StateCategory.Idle, "not-producing"),
            [4] = (StateCategory.Idle, "not-producing"), [5] = (StateCategory.Idle, "starved-or-blocked"), [6] = (StateCategory.Running, "running"),
            [7] = (StateCategory.Down, "stopping"), [8] = (StateCategory.Down, "aborting"), [9] = (StateCategory.Down, "aborted"),
            [10] = (StateCategory.Down, "held"), [11] = (StateCategory.Down, "held"), [12] = (StateCategory.Down, "held"),
            [13] = (StateCategory.Idle, "starved-or-blocked"), [14] = (StateCategory.Idle, "starved-or-blocked"),
            [15] = (StateCategory.Idle, "not-producing"), [16] = (StateCategory.Idle, "not-producing"), [17] = (StateCategory.Idle, "not-producing"),
        };

        foreach (var (code, state) in expected)
        {
            // Each from Execute, so every code starts a state of its own rather than continuing a stop.
            var driver = new EngineDriver(TestLines.Line(DayShift, "Etc/UTC", Filler()), T(6, 0))
                .Send(T(6, 0), "state", 6).Send(T(6, 1), "state", code);
            var s = driver.Snapshot(T(6, 2));
            Assert.Equal((code, state), (code, (s.State, s.ReasonCode)));
        }
    }

    [Fact]
    public void PackMl_ExplicitStateCodeEntry_OverridesThePreset()
    {
        // This filler's PLC uses Suspended for its own infeed sensor: the plant wants it as an infeed-empty stop.
        var machine = Filler(new Dictionary<long, string> { [5] = "material-jam" });
        var driver = new EngineDriver(TestLines.Line(DayShift, "Etc/UTC", machine), T(6, 0))
            .Send(T(6, 0), "state", 6).Send(T(6, 1), "state", 5);

        var s = driver.Snapshot(T(6, 2));

        Assert.Equal((StateCategory.Down, "material-jam"), (s.State, s.ReasonCode));
    }

    [Fact]
    public void StopReason_NamesTheHeldStop_ButNotTheNextStopAfterRunning()
    {
        var driver = new EngineDriver(TestLines.Line(DayShift, "Etc/UTC", Filler()), T(6, 0))
            .Send(T(6, 0), "state", 6)
            .Send(T(6, 10), "stop-reason", 101).Send(T(6, 10), "state", 11);
        var held = driver.Snapshot(T(6, 11));

        // Execute again; the PLC keeps the stop reason latched. The next Suspended is the line's doing, not a jam.
        driver.Send(T(6, 20), "state", 6).Send(T(6, 30), "state", 5);
        var suspended = driver.Snapshot(T(6, 31));

        // A new stop reason set at the next stop names that one again.
        driver.Send(T(6, 40), "state", 6).Send(T(6, 50), "stop-reason", 102).Send(T(6, 50), "stop-reason", 101).Send(T(6, 50), "state", 2);
        var stopped = driver.Snapshot(T(6, 51));

        Assert.Equal((StateCategory.Down, "material-jam"), (held.State, held.ReasonCode));
        Assert.Equal((StateCategory.Idle, "starved-or-blocked"), (suspended.State, suspended.ReasonCode));
        Assert.Equal((StateCategory.Down, "material-jam"), (stopped.State, stopped.ReasonCode));
        var unmapped = Assert.Single(driver.EventsOf<UnmappedStateCodeEvent>());
        Assert.Equal(("stop-reason", SignalRole.StopReason, 102L), (unmapped.SignalName, unmapped.Role, unmapped.Code));
    }

    [Fact]
    public void UnitMode_ManualAndConfiguredModes_ArePlannedStopsWithTheirReasons()
    {
        var machine = Filler() with
        {
            UnitModes = new Dictionary<long, string> { [4] = "cleaning", [5] = MachineStateModel.Production },
            Reasons =
            [
                new ReasonCode { Code = "material-jam", Label = "Material jam", Category = StateCategory.Down },
                new ReasonCode { Code = "cleaning", Label = "Cleaning (CIP)", Category = StateCategory.PlannedStop },
            ],
        };
        var driver = new EngineDriver(TestLines.Line(DayShift, "Etc/UTC", machine), T(6, 0)).Send(T(6, 0), "state", 6);

        var seen = new List<(StateCategory, string)>();
        var t = T(6, 0);
        foreach (var mode in new[] { 3, 4, 5, 9, 1 })
        {
            t = t.AddMinutes(5);
            driver.Send(t, "mode", mode);
            var s = driver.Snapshot(t);
            seen.Add((s.State, s.ReasonCode));
        }

        Assert.Equal(
            [
                (StateCategory.PlannedStop, "manual-mode"),
                (StateCategory.PlannedStop, "cleaning"),
                (StateCategory.Running, "running"), // 5 configured as production
                (StateCategory.Running, "running"), // 9 not configured: production, and reported
                (StateCategory.Running, "running"),
            ],
            seen);
        Assert.Equal(TimeSpan.FromMinutes(10), driver.Snapshot(t).Kpi.PlannedStopTime);
        var unmapped = Assert.Single(driver.EventsOf<UnmappedStateCodeEvent>());
        Assert.Equal(("mode", 9L), (unmapped.SignalName, unmapped.Code));
    }

    [Fact]
    public void UnitModeAndStopReason_SurviveACheckpoint()
    {
        var driver = new EngineDriver(TestLines.Line(DayShift, "Etc/UTC", Filler()), T(6, 0))
            .Send(T(6, 0), "state", 6)
            .Send(T(6, 10), "stop-reason", 101).Send(T(6, 10), "state", 2)
            .Send(T(6, 20), "mode", 2);
        var checkpoint = driver.Engine.CreateCheckpoint(T(6, 21));

        // After the restart the PLC sends only the state again (unchanged values are not resent by a subscription).
        var restored = new EngineDriver(driver.Catalog, EdgeOps.Core.Engine.LineEngine.Restore(driver.Catalog, checkpoint, T(6, 22)))
            .Send(T(6, 23), "state", 2);
        var inMaintenance = restored.Snapshot(T(6, 24));
        restored.Send(T(6, 30), "mode", 1);
        var stopped = restored.Snapshot(T(6, 31));

        Assert.Equal((StateCategory.PlannedStop, "maintenance-mode"), (inMaintenance.State, inMaintenance.ReasonCode));
        Assert.Equal((StateCategory.Down, "material-jam"), (stopped.State, stopped.ReasonCode));
    }
}
