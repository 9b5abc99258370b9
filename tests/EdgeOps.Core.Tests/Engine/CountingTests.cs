using EdgeOps.Core.Engine.Events;
using EdgeOps.Core.Model;
using EdgeOps.Core.Signals;
using EdgeOps.Core.Tests.Support;

namespace EdgeOps.Core.Tests.Engine;

public sealed class CountingTests
{
    private static readonly DateTimeOffset Start = TestLines.Monday.AddHours(7);

    private static EngineDriver Totalizing(int bits = 32, double? maxJump = null)
    {
        var machine = new MachineDefinition
        {
            Id = "m1",
            IdealCycleTime = TimeSpan.FromSeconds(1),
            StaleAfter = TimeSpan.FromDays(1),
            Signals = [TestLines.Sig("running", SignalRole.Running), TestLines.Totalizer("count", SignalRole.Total, bits, maxJump)],
        };
        var driver = new EngineDriver(TestLines.Line(machine), Start);
        driver.Send(Start, "running", 1);
        return driver;
    }

    private static EngineDriver Feed(EngineDriver driver, params double[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            driver.Send(Start.AddSeconds(i + 1), "count", values[i]);
        }

        return driver;
    }

    [Fact]
    public void Totalizer16Bit_WrappingAt65535_CountsTheUnitsAcrossTheWrap()
    {
        // Baseline 65530; +3 (65533), +2 (65535), wrap: 2 + 65536 − 65535 = 3, then +3 (5) → 11 units.
        var driver = Feed(Totalizing(bits: 16), 65530, 65533, 65535, 2, 5);

        var snapshot = driver.Snapshot(Start.AddSeconds(10));

        Assert.Equal(11, snapshot.ShiftCounts.Total);
        var rollover = Assert.Single(driver.EventsOf<CounterAnomalyEvent>());
        Assert.Equal((CounterAnomalyKind.Rollover, 65535.0, 2.0, 3L), (rollover.Anomaly, rollover.PreviousValue, rollover.Value, rollover.Counted));
        Assert.Equal("count", rollover.SignalName);
    }

    [Fact]
    public void Totalizer_PlcResetToZeroMidShift_KeepsCountsAndCountsOnFromZero()
    {
        // 1000 baseline, +10, +10, reset to 0 (nothing lost, nothing invented), +5 → 25.
        var driver = Feed(Totalizing(), 1000, 1010, 1020, 0, 5);

        Assert.Equal(25, driver.Snapshot(Start.AddSeconds(10)).ShiftCounts.Total);
        var reset = Assert.Single(driver.EventsOf<CounterAnomalyEvent>());
        Assert.Equal((CounterAnomalyKind.Reset, 1020.0, 0.0, 0L), (reset.Anomaly, reset.PreviousValue, reset.Value, reset.Counted));
    }

    [Fact]
    public void Totalizer_JumpBackToUnrelatedValue_IsAPlcDownloadAndRebaselines()
    {
        // 1000 baseline, +10, download sets 500 (nothing counted), +10 → 20.
        var driver = Feed(Totalizing(), 1000, 1010, 500, 510);

        Assert.Equal(20, driver.Snapshot(Start.AddSeconds(10)).ShiftCounts.Total);
        Assert.Equal(CounterAnomalyKind.PlcDownload, Assert.Single(driver.EventsOf<CounterAnomalyEvent>()).Anomaly);
    }

    [Fact]
    public void Totalizer_JumpOfOneMillion_IsQuarantinedNeverCountedAndReported()
    {
        // 100 baseline, +1, +1 000 000 in one second (quarantined), +1 → 2.
        var driver = Feed(Totalizing(), 100, 101, 1_000_101, 1_000_102);

        var snapshot = driver.Snapshot(Start.AddSeconds(10));

        Assert.Equal(2, snapshot.ShiftCounts.Total);
        Assert.Equal(2, snapshot.LifetimeCounts.Total);
        var jump = Assert.Single(driver.EventsOf<CounterAnomalyEvent>());
        Assert.Equal((CounterAnomalyKind.QuarantinedJump, 101.0, 1_000_101.0, 0L), (jump.Anomaly, jump.PreviousValue, jump.Value, jump.Counted));
    }

    [Fact]
    public void Totalizer_ConfiguredMaxJump_QuarantinesStepsAboveIt()
    {
        var driver = Feed(Totalizing(maxJump: 5), 0, 5, 11, 12);

        Assert.Equal(6, driver.Snapshot(Start.AddSeconds(10)).ShiftCounts.Total);
        Assert.Equal(CounterAnomalyKind.QuarantinedJump, Assert.Single(driver.EventsOf<CounterAnomalyEvent>()).Anomaly);
    }

    [Fact]
    public void Totalizer_FirstValue_OnlySetsTheBaseline()
    {
        var driver = Feed(Totalizing(), 123_456);

        Assert.Equal(0, driver.Snapshot(Start.AddSeconds(10)).ShiftCounts.Total);
    }

    [Fact]
    public void Totalizer_OlderReadingAfterNewer_IsSupersededNotCounted()
    {
        var driver = Totalizing();
        driver.Send(Start.AddSeconds(1), "count", 10).Send(Start.AddSeconds(3), "count", 14).Send(Start.AddSeconds(2), "count", 12);

        Assert.Equal(4, driver.Snapshot(Start.AddSeconds(10)).ShiftCounts.Total);
        Assert.Empty(driver.EventsOf<CounterAnomalyEvent>());
    }

    [Fact]
    public void Pulse_NegativeValue_IsReportedAndIgnored()
    {
        var driver = new EngineDriver(TestLines.Line(TestLines.FullMachine()), Start);
        driver.Send(Start, "total", 3).Send(Start.AddSeconds(1), "total", -2);

        Assert.Equal(3, driver.Snapshot(Start.AddSeconds(2)).ShiftCounts.Total);
        Assert.Equal(CounterAnomalyKind.InvalidValue, Assert.Single(driver.EventsOf<CounterAnomalyEvent>()).Anomaly);
    }

    [Fact]
    public void Counts_TotalAndReject_DeriveGood()
    {
        var driver = new EngineDriver(TestLines.Line(TestLines.FullMachine()), Start);
        driver.Send(Start, "total", 10).Send(Start, "reject", 2);

        var counts = driver.Snapshot(Start.AddSeconds(1)).ShiftCounts;

        Assert.Equal((10, 8, 2), (counts.Total, counts.Good, counts.Reject));
    }

    [Fact]
    public void Counts_GoodAndReject_DeriveTotal()
    {
        var machine = new MachineDefinition
        {
            Id = "m1",
            IdealCycleTime = TimeSpan.FromSeconds(1),
            Signals = [TestLines.Sig("good", SignalRole.Good), TestLines.Sig("reject", SignalRole.Reject)],
        };
        var driver = new EngineDriver(TestLines.Line(machine), Start);
        driver.Send(Start, "good", 7).Send(Start, "reject", 3);

        var counts = driver.Snapshot(Start.AddSeconds(1)).ShiftCounts;

        Assert.Equal((10, 7, 3), (counts.Total, counts.Good, counts.Reject));
    }

    [Fact]
    public void Version_IncreasesWithEveryCount()
    {
        var driver = new EngineDriver(TestLines.Line(TestLines.FullMachine()), Start);
        var before = driver.Engine.GetVersion(0);
        driver.Send(Start, "total", 1);

        Assert.True(driver.Engine.GetVersion(0) > before);
    }

    [Fact]
    public void Signal_StampedFarInTheFuture_IsIgnoredAndCounted()
    {
        var driver = new EngineDriver(TestLines.Line(TestLines.FullMachine()), Start);
        driver.Send(Start, "total", 1).Send(new DateTimeOffset(2100, 1, 1, 0, 0, 0, TimeSpan.Zero), "total", 5);

        Assert.Equal(1, driver.Engine.FutureSignalCount);
        Assert.Equal(Start, driver.Engine.Now);
        Assert.Equal(1, driver.Snapshot(Start.AddSeconds(1)).ShiftCounts.Total);
    }
}
