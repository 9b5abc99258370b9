using EdgeOps.Core.Engine.Events;
using EdgeOps.Core.Model;
using EdgeOps.Core.Signals;
using EdgeOps.Core.Tests.Support;

namespace EdgeOps.Core.Tests.Engine;

/// <summary>A status word: one integer on the wire, several boolean inputs in the engine, under the usual precedence.</summary>
public sealed class StatusWordTests
{
    private static readonly DateTimeOffset Start = TestLines.Monday.AddHours(7);

    private const int Running = 1 << 0;
    private const int Fault = 1 << 3;
    private const int Starved = 1 << 5;
    private const int Blocked = 1 << 6;
    private const int Changeover = 1 << 9;
    private const int NoPlannedStop = 1 << 12; // inverted: a cleared bit is a planned stop
    private const int Spare = 1 << 14;         // not mapped: ignored

    private static MachineDefinition Machine(params SignalDefinition[] extra) => new()
    {
        Id = "m1",
        IdealCycleTime = TimeSpan.FromSeconds(2),
        StaleAfter = TimeSpan.FromDays(1),
        Signals =
        [
            new SignalDefinition
            {
                Name = "status",
                Role = SignalRole.StatusWord,
                Bits =
                [
                    new StatusBitDefinition(0, SignalRole.Running),
                    new StatusBitDefinition(3, SignalRole.Fault),
                    new StatusBitDefinition(5, SignalRole.Starved),
                    new StatusBitDefinition(6, SignalRole.Blocked),
                    new StatusBitDefinition(9, SignalRole.Changeover),
                    new StatusBitDefinition(12, SignalRole.PlannedStop, Inverted: true),
                ],
            },
            .. extra,
        ],
        FaultCodes = new Dictionary<long, string> { [17] = "tool-change" },
        Reasons = [new ReasonCode { Code = "tool-change", Label = "Tool change", Category = StateCategory.Down }],
    };

    [Theory]
    [InlineData(Running | NoPlannedStop, StateCategory.Running, "running")]
    [InlineData(Running | Starved | Blocked | NoPlannedStop, StateCategory.Idle, "starved")]
    [InlineData(Running | Blocked | NoPlannedStop | Spare, StateCategory.Idle, "blocked")]
    [InlineData(Running | Changeover | Blocked | NoPlannedStop, StateCategory.Changeover, "changeover")]
    [InlineData(Running | Fault | Changeover | Starved | NoPlannedStop, StateCategory.Down, "fault")]
    [InlineData(Running | Fault | Changeover, StateCategory.PlannedStop, "planned-stop")] // bit 12 cleared
    [InlineData(NoPlannedStop, StateCategory.Down, "unknown")]
    public void StatusWord_SeveralBitsSet_FollowsThePrecedence(int word, StateCategory state, string reason)
    {
        var driver = new EngineDriver(TestLines.Line(Machine()), Start).Send(Start, "status", word);

        var s = driver.Snapshot(Start.AddMinutes(1));

        Assert.Equal((state, reason), (s.State, s.ReasonCode));
    }

    [Fact]
    public void StatusWord_BitsChangingOverTime_MoveTheStateAndEndStops()
    {
        var driver = new EngineDriver(TestLines.Line(Machine()), Start)
            .Send(Start, "status", Running | NoPlannedStop)
            .Send(Start.AddMinutes(10), "status", Running | Fault | NoPlannedStop)
            .Send(Start.AddMinutes(15), "status", Running | NoPlannedStop)
            .Send(Start.AddMinutes(20), "status", Running | Starved | NoPlannedStop)
            .Send(Start.AddMinutes(20.5), "status", Running | NoPlannedStop);

        var s = driver.Snapshot(Start.AddMinutes(30));

        Assert.Equal(StateCategory.Running, s.State);
        var fault = Assert.Single(s.Kpi.DowntimeByReason);
        Assert.Equal(("fault", 5.0, 1), (fault.ReasonCode, fault.Duration.TotalMinutes, fault.Count));
        Assert.Equal((1, TimeSpan.FromSeconds(30)), (s.Kpi.MicroStopCount, s.Kpi.MicroStopTime));
    }

    [Fact]
    public void StatusWord_FaultBitWithFaultCodeSignal_TheCodeNamesTheFault()
    {
        var driver = new EngineDriver(TestLines.Line(Machine(TestLines.Sig("fault-code", SignalRole.Fault))), Start)
            .Send(Start, "status", Running | NoPlannedStop)
            .Send(Start.AddMinutes(1), "status", Running | Fault | NoPlannedStop).Send(Start.AddMinutes(1), "fault-code", 17);

        var s = driver.Snapshot(Start.AddMinutes(2));

        Assert.Equal((StateCategory.Down, "tool-change"), (s.State, s.ReasonCode));
    }

    [Fact]
    public void StatusWord_NegativeSixteenBitValue_IsTwosComplement()
    {
        // An S7 INT with bit 15 set reads negative: -32768 + 4097 = 0x9001, bits 15, 12 and 0 → running, not planned.
        var driver = new EngineDriver(TestLines.Line(Machine()), Start).Send(Start, "status", -32768 + NoPlannedStop + Running);

        var s = driver.Snapshot(Start.AddMinutes(1));

        Assert.Equal(StateCategory.Running, s.State);
        Assert.Empty(driver.EventsOf<InvalidStateInputEvent>());
    }

    [Theory]
    [InlineData(65536.0 + Running)] // wider than the 16 declared bits
    [InlineData(-32769.0)]          // below a 16-bit INT
    [InlineData(3.5)]
    [InlineData(double.NaN)]
    public void StatusWord_ValueOutsideItsWidth_IsIgnored_StateKept_ReportedOnce(double bad)
    {
        var driver = new EngineDriver(TestLines.Line(Machine()), Start)
            .Send(Start, "status", Running | NoPlannedStop)
            .Send(Start.AddMinutes(1), "status", bad)
            .Send(Start.AddMinutes(2), "status", bad)
            .Send(Start.AddMinutes(3), "status", bad);

        var s = driver.Snapshot(Start.AddMinutes(4));

        Assert.Equal((StateCategory.Running, "running"), (s.State, s.ReasonCode));
        var e = Assert.Single(driver.EventsOf<InvalidStateInputEvent>());
        Assert.Equal("status", e.SignalName);
        Assert.Contains("16 bits", e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void StatusWord_WithoutARunningBit_LeavesRunningToCountInference()
    {
        // Only a fault bit: the machine counts and infers running from the count cadence, as a counting-only retrofit.
        var machine = new MachineDefinition
        {
            Id = "m1",
            IdealCycleTime = TimeSpan.FromSeconds(2),
            StaleAfter = TimeSpan.FromDays(1),
            Signals =
            [
                new SignalDefinition { Name = "status", Role = SignalRole.StatusWord, Bits = [new StatusBitDefinition(3, SignalRole.Fault)] },
                TestLines.Sig("total", SignalRole.Total),
            ],
        };
        var driver = new EngineDriver(TestLines.Line(machine), Start).Send(Start, "status", 0).Send(Start.AddSeconds(1), "total", 1);

        var s = driver.Snapshot(Start.AddSeconds(2));

        Assert.Equal(StateCategory.Running, s.State);
    }
}
