using EdgeOps.Core.Model;
using EdgeOps.Core.Signals;

namespace EdgeOps.Benchmarks.Gpio;

/// <summary>A one-machine line whose inputs are GPIO lines 0..pins-1: line 0 counts parts, the rest are levels.</summary>
internal static class GpioLines
{
    public static LineDefinition Line(int pins, TimeSpan debounce) => new()
    {
        Site = "bench",
        Area = "gpio",
        Line = "l1",
        TimeZone = "UTC",
        Shifts = [new ShiftDefinition { Name = "all", Start = new TimeOnly(0, 0), End = new TimeOnly(0, 0), Days = Enum.GetValues<DayOfWeek>() }],
        Machines =
        [
            new MachineDefinition
            {
                Id = "m1",
                IdealCycleTime = TimeSpan.FromMilliseconds(1),
                Signals =
                [
                    new SignalDefinition { Name = "parts", Role = SignalRole.Total, Source = new GpioBinding { Pin = 0, Debounce = debounce } },
                    .. Enumerable.Range(1, pins - 1).Select(p => new SignalDefinition
                    {
                        Name = $"in{p}",
                        Role = p == 1 ? SignalRole.Running : SignalRole.Blocked,
                        Source = new GpioBinding { Pin = p, Debounce = TimeSpan.FromMilliseconds(5), Settle = TimeSpan.FromMilliseconds(50) },
                    }),
                ],
            },
        ],
    };
}
