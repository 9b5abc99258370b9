using EdgeOps.Sources.Modbus;

namespace EdgeOps.Sources.Tests.Modbus;

/// <summary>The poll schedule: every device with the same interval polls at the same instants (multiples of the interval).</summary>
public sealed class ModbusPollScheduleTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    private static DateTimeOffset At(int milliseconds) => new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero).AddMilliseconds(milliseconds);

    [Theory]
    [InlineData(30, 35, 100)] // started at .030: the first tick is the next multiple, not .130
    [InlineData(100, 150, 200)] // polled .100, done at .150
    [InlineData(100, 99, 200)] // the timer for .100 fired a millisecond early: the next is .200, never .100 again
    [InlineData(100, 200, 200)] // the poll took exactly one interval: poll again at once
    [InlineData(100, 230, 300)] // the poll overran past .200: skip it, poll at .300
    [InlineData(0, 1000, 1000)]
    public void NextPoll_IsTheNextMultipleOfTheInterval_SkippingTicksAPollOverran(int last, int now, int expected)
    {
        Assert.Equal(At(expected), ModbusSignalSource.NextPoll(At(now), At(last), Interval));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(41)]
    [InlineData(77)]
    [InlineData(99)] // its first poll (12 ms) overruns .100: it joins the others at .200
    public void NextPoll_PutsDevicesStartedAtDifferentTimesOnTheSameTicks(int start)
    {
        var ticks = new List<DateTimeOffset>();
        var tick = At(start);
        while (tick < At(500))
        {
            tick = ModbusSignalSource.NextPoll(tick.AddMilliseconds(12), tick, Interval);
            ticks.Add(tick);
        }

        Assert.Equal([At(200), At(300), At(400), At(500)], ticks.Where(t => t >= At(200)));
    }
}
