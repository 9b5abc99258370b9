using EdgeOps.Core.Model;
using EdgeOps.Core.Signals;
using EdgeOps.Core.Tests.Support;

namespace EdgeOps.Core.Tests.Engine;

/// <summary>Counting-only retrofit: no running or state input; running is inferred from the count cadence.</summary>
public sealed class InferenceTests
{
    private static readonly DateTimeOffset Start = TestLines.Monday.AddHours(7);

    private static EngineDriver CountingOnly() => new(TestLines.Line(new MachineDefinition
    {
        Id = "m1",
        IdealCycleTime = TimeSpan.FromSeconds(2),
        InferenceFactor = 3,
        StaleAfter = TimeSpan.FromSeconds(30),
        Signals = [TestLines.Sig("count", SignalRole.Total)],
    }), Start);

    [Fact]
    public void CountsWithinThreeCycles_InferRunning_ThenSilenceIsAnUnknownStop()
    {
        // A part every 2 s for 60 s (07:00:00–07:01:00), then only heartbeats (pulse 0) every 10 s.
        // Last part 07:01:00 + 3 × 2 s = 07:01:06: stop, reason unknown. Parts resume 07:05:06 → 4 min stop.
        var driver = CountingOnly();
        for (var s = 0; s <= 60; s += 2)
        {
            driver.Send(Start.AddSeconds(s), "count", 1);
        }

        Assert.Equal(StateCategory.Running, driver.Snapshot(Start.AddSeconds(61)).State);
        for (var s = 70; s <= 300; s += 10)
        {
            driver.Send(Start.AddSeconds(s), "count", 0);
        }

        var stopped = driver.Snapshot(Start.AddSeconds(300));
        Assert.Equal((StateCategory.Down, "unknown"), (stopped.State, stopped.ReasonCode));
        Assert.Equal(Start.AddSeconds(66), stopped.CurrentStopStart);

        driver.Send(Start.AddSeconds(306), "count", 1);
        var s2 = driver.Snapshot(Start.AddSeconds(310));

        Assert.Equal(StateCategory.Running, s2.State);
        Assert.Equal(TimeSpan.FromSeconds(240), s2.Kpi.Downtime);
        Assert.Equal(32, s2.ShiftCounts.Total);
    }

    [Fact]
    public void CountingOnly_NoSignalsAtAll_IsOfflineNotDown()
    {
        var driver = CountingOnly();
        driver.Send(Start, "count", 1);

        var s = driver.Snapshot(Start.AddMinutes(5));

        Assert.Equal(StateCategory.Offline, s.State);
        Assert.Equal(TimeSpan.Zero, s.Kpi.Downtime);
    }
}
