using EdgeOps.Sources.Simulation;
using Microsoft.Extensions.Time.Testing;

namespace EdgeOps.Sources.Tests.Simulation;

public sealed class SimulatedClockTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 5, 0, 0, TimeSpan.Zero);

    [Fact]
    public void GetUtcNow_RunsAtTheSpeedFactor()
    {
        var real = new FakeTimeProvider(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var clock = new SimulatedClock(real, Start, speed: 3600);
        var before = clock.GetTimestamp();

        real.Advance(TimeSpan.FromSeconds(8));

        Assert.Equal(Start.AddHours(8), clock.GetUtcNow());
        Assert.Equal(TimeSpan.FromHours(8).TotalSeconds, clock.GetElapsedTime(before).TotalSeconds, tolerance: 8 * 3600 * 1e-4);
    }

    [Fact]
    public void GetTimestamp_DoesNotOverflowAfterAYearAtHighSpeed()
    {
        var real = new FakeTimeProvider();
        var clock = new SimulatedClock(real, Start, speed: 3600);
        var before = clock.GetTimestamp();

        real.Advance(TimeSpan.FromDays(365));

        Assert.Equal(365 * 3600.0, clock.GetElapsedTime(before).TotalDays, tolerance: 365 * 3600 * 1e-4);
    }

    [Fact]
    public void CreateTimer_FiresAfterTheScaledDueTime()
    {
        var real = new FakeTimeProvider();
        var clock = new SimulatedClock(real, Start, speed: 60);
        var fired = 0;
        using var timer = clock.CreateTimer(_ => fired++, null, TimeSpan.FromMinutes(1), Timeout.InfiniteTimeSpan);

        real.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Equal(0, fired);
        real.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, fired);
    }
}
