using EdgeOps.Core.Engine.Events;
using EdgeOps.Core.Tests.Support;

namespace EdgeOps.Core.Tests.Engine;

public sealed class MicroStopTests
{
    private static readonly DateTimeOffset Start = TestLines.Monday.AddHours(7);

    private static EngineDriver StopFor(TimeSpan length)
    {
        var driver = new EngineDriver(TestLines.Line(TestLines.FullMachine()), Start);
        driver.Send(Start, "running", 1)
            .Send(Start.AddMinutes(10), "running", 0)
            .Send(Start.AddMinutes(10) + length, "running", 1);
        return driver;
    }

    [Fact]
    public void Stop_JustUnderThreshold_IsAMicroStopInsideRunTime()
    {
        // 119 s < 120 s: a performance loss. The engine starts 07:00 in a shift that began 06:00, so 06:00–07:00 is
        // offline and PPT = 60 min (07:00–08:00). Run time = 60 min including the 119 s micro-stop; downtime 0; A = 1.
        var s = StopFor(TimeSpan.FromSeconds(119)).Snapshot(Start.AddMinutes(60));

        Assert.Equal((1, 0), (s.Kpi.MicroStopCount, s.Kpi.StopCount));
        Assert.Equal(TimeSpan.FromSeconds(119), s.Kpi.MicroStopTime);
        Assert.Equal(TimeSpan.Zero, s.Kpi.Downtime);
        Assert.Equal(TimeSpan.FromMinutes(60), s.Kpi.RunTime);
        Assert.Equal(1.0, s.Kpi.Availability!.Value, 4);
    }

    [Fact]
    public void Stop_JustOverThreshold_IsDowntimeWithUnknownReason()
    {
        // 121 s ≥ 120 s: downtime. Run = 3600 − 121 = 3479 s; A = 3479 / 3600 = 0.9664.
        var driver = StopFor(TimeSpan.FromSeconds(121));
        var s = driver.Snapshot(Start.AddMinutes(60));

        Assert.Equal((0, 1, 1), (s.Kpi.MicroStopCount, s.Kpi.StopCount, s.Kpi.DownStopCount));
        Assert.Equal(TimeSpan.FromSeconds(121), s.Kpi.Downtime);
        Assert.Equal(0.9664, s.Kpi.Availability!.Value, 4);
        Assert.Equal("unknown", Assert.Single(s.Kpi.DowntimeByReason).ReasonCode);
        var ended = Assert.Single(driver.EventsOf<StopEndedEvent>());
        Assert.False(ended.IsMicroStop);
        Assert.Equal(TimeSpan.FromSeconds(121), ended.Duration);
    }

    [Fact]
    public void OpenStop_GrowingPastThreshold_BumpsVersionOnAdvance()
    {
        var driver = new EngineDriver(TestLines.Line(TestLines.FullMachine()), Start);
        driver.Send(Start, "running", 1).Send(Start.AddMinutes(1), "running", 0).Advance(Start.AddMinutes(2));
        var before = driver.Engine.GetVersion(0);
        Assert.True(driver.Snapshot(Start.AddMinutes(2)).CurrentStopIsMicro);

        driver.Advance(Start.AddMinutes(3).AddSeconds(1));

        Assert.True(driver.Engine.GetVersion(0) > before);
        Assert.False(driver.Snapshot(Start.AddMinutes(3).AddSeconds(1)).CurrentStopIsMicro);
    }
}
