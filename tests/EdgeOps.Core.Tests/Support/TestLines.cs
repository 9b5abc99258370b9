using EdgeOps.Core.Model;
using EdgeOps.Core.Signals;

namespace EdgeOps.Core.Tests.Support;

/// <summary>Small line definitions for engine tests. Times are UTC unless a test picks a plant zone.</summary>
internal static class TestLines
{
    /// <summary>Monday 2026-11-23 00:00 UTC.</summary>
    public static readonly DateTimeOffset Monday = new(2026, 11, 23, 0, 0, 0, TimeSpan.Zero);

    public static readonly DayOfWeek[] AllDays = Enum.GetValues<DayOfWeek>();

    /// <summary>Early 06:00–14:00 with a 10:00–10:30 break, late 14:00–22:00; every day; nothing 22:00–06:00.</summary>
    public static IReadOnlyList<ShiftDefinition> TwoShifts { get; } =
    [
        new ShiftDefinition
        {
            Name = "early",
            Start = new TimeOnly(6, 0),
            End = new TimeOnly(14, 0),
            Days = AllDays,
            Breaks = [new BreakDefinition { Name = "lunch", Start = new TimeOnly(10, 0), End = new TimeOnly(10, 30) }],
        },
        new ShiftDefinition { Name = "late", Start = new TimeOnly(14, 0), End = new TimeOnly(22, 0), Days = AllDays },
    ];

    public static SignalDefinition Sig(string name, SignalRole role) => new() { Name = name, Role = role };

    public static SignalDefinition Totalizer(string name, SignalRole role, int bits = 32, double? maxJump = null) =>
        new() { Name = name, Role = role, CountMode = CountMode.Totalizer, TotalizerBits = bits, MaxJump = maxJump };

    /// <summary>A machine with running, fault, starved, blocked, changeover, plannedStop, total, reject and rework inputs.</summary>
    public static MachineDefinition FullMachine(string id = "m1", double idealSeconds = 6, TimeSpan? staleAfter = null) => new()
    {
        Id = id,
        IdealCycleTime = TimeSpan.FromSeconds(idealSeconds),
        StaleAfter = staleAfter ?? TimeSpan.FromDays(1),
        TargetPerHour = 500,
        Signals =
        [
            Sig("running", SignalRole.Running),
            Sig("fault", SignalRole.Fault),
            Sig("starved", SignalRole.Starved),
            Sig("blocked", SignalRole.Blocked),
            Sig("changeover", SignalRole.Changeover),
            Sig("planned", SignalRole.PlannedStop),
            Sig("total", SignalRole.Total),
            Sig("reject", SignalRole.Reject),
            Sig("rework", SignalRole.Rework),
            Sig("vibration", SignalRole.Analog),
        ],
        Reasons = [new ReasonCode { Code = "tool-change", Label = "Tool change", Category = StateCategory.Down }],
    };

    public static LineDefinition Line(IReadOnlyList<ShiftDefinition>? shifts, string zone, params MachineDefinition[] machines) => new()
    {
        Site = "plant1",
        Area = "assembly",
        Line = "line1",
        TimeZone = zone,
        Shifts = shifts ?? TwoShifts,
        Machines = machines,
        Reasons =
        [
            new ReasonCode { Code = "material", Label = "No material", Category = StateCategory.Idle },
            new ReasonCode { Code = "meeting", Label = "Team meeting", Category = StateCategory.PlannedStop },
        ],
    };

    public static LineDefinition Line(params MachineDefinition[] machines) => Line(null, "Etc/UTC", machines);
}
