using EdgeOps.Core.Model;
using EdgeOps.Core.Signals;
using EdgeOps.Sources.Simulation;

namespace EdgeOps.Sources.Tests.Simulation;

/// <summary>A press → welder → packer line like the demo, built in code so each test states what it changes.</summary>
internal static class TestLines
{
    /// <summary>Monday 2 March 2026, 05:00 UTC = 06:00 in Berlin: the start of the early shift.</summary>
    public static readonly DateTimeOffset MondayEarlyShift = new(2026, 3, 2, 5, 0, 0, TimeSpan.Zero);

    public static readonly IReadOnlyList<DayOfWeek> EveryDay = Enum.GetValues<DayOfWeek>();

    public static readonly IReadOnlyList<ShiftDefinition> AroundTheClock =
    [
        new() { Name = "day", Start = new TimeOnly(6, 0), End = new TimeOnly(18, 0), Days = EveryDay },
        new() { Name = "night", Start = new TimeOnly(18, 0), End = new TimeOnly(6, 0), Days = EveryDay },
    ];

    public static LineDefinition Line(SimulatorDefinition simulator, IReadOnlyList<ShiftDefinition>? shifts = null) => new()
    {
        Site = "plant",
        Area = "area",
        Line = "line-1",
        TimeZone = "Europe/Berlin",
        Shifts = shifts ?? AroundTheClock,
        Machines =
        [
            Machine("press", 2.0, 101, 102, 103, Signal("strokes", SignalRole.Total), Signal("scrap", SignalRole.Reject),
                Signal("running", SignalRole.Running), Signal("fault", SignalRole.Fault), Signal("blocked", SignalRole.Blocked),
                Analog("vibration", "vibration"), Analog("bearing-temp", "temperature")),
            Machine("welder", 2.4, 201, 202, 0, Signal("welds", SignalRole.Total), Signal("rejects", SignalRole.Reject),
                Signal("running", SignalRole.Running), Signal("fault", SignalRole.Fault), Signal("starved", SignalRole.Starved),
                Signal("blocked", SignalRole.Blocked), Analog("vibration", "vibration")),
            Machine("packer", 1.8, 301, 0, 0, Signal("packed", SignalRole.Good), Signal("rejects", SignalRole.Reject),
                Signal("running", SignalRole.Running), Signal("fault", SignalRole.Fault), Signal("starved", SignalRole.Starved),
                Signal("break", SignalRole.PlannedStop)),
        ],
        Sources = new SourcesDefinition { Simulator = simulator },
    };

    public static LineSimulator Simulator(LineDefinition line) =>
        new(new SignalCatalog(line), TimeProvider.System, MondayEarlyShift);

    private static MachineDefinition Machine(string id, double cycleSeconds, long code1, long code2, long code3, params SignalDefinition[] signals) => new()
    {
        Id = id,
        IdealCycleTime = TimeSpan.FromSeconds(cycleSeconds),
        Signals = signals,
        FaultCodes = new[] { code1, code2, code3 }.Where(c => c != 0).ToDictionary(c => c, c => $"reason-{c}"),
    };

    private static SignalDefinition Signal(string name, SignalRole role) => new() { Name = name, Role = role };

    private static SignalDefinition Analog(string name, string kind) => new() { Name = name, Role = SignalRole.Analog, Kind = kind };
}
