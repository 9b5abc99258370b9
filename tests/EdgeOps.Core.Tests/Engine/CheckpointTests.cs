using System.Text.Json;
using EdgeOps.Core.Engine;
using EdgeOps.Core.Engine.Checkpoints;
using EdgeOps.Core.Engine.Events;
using EdgeOps.Core.Model;
using EdgeOps.Core.Signals;
using EdgeOps.Core.Tests.Support;

namespace EdgeOps.Core.Tests.Engine;

public sealed class CheckpointTests
{
    private static readonly DateTimeOffset D = TestLines.Monday;

    private static LineDefinition TotalizerLine() => TestLines.Line(new MachineDefinition
    {
        Id = "m1",
        IdealCycleTime = TimeSpan.FromSeconds(1),
        StaleAfter = TimeSpan.FromSeconds(30),
        Signals = [TestLines.Sig("running", SignalRole.Running), TestLines.Totalizer("count", SignalRole.Total)],
    });

    private static EngineCheckpoint RoundTrip(EngineCheckpoint checkpoint) =>
        JsonSerializer.Deserialize<EngineCheckpoint>(JsonSerializer.Serialize(checkpoint))!;

    [Fact]
    public void Restart_WithinSameShift_ResumesCountsWithoutDoubleCountingTheTotalizer()
    {
        // Totalizer 1000 → 1010 (10 counted). Checkpoint at 08:00:10, restart 08:01:00; the PLC counted on
        // to 1040 meanwhile: +30, so 40 — never 1040 (a lost baseline) and never 10 (lost units).
        var driver = new EngineDriver(TotalizerLine(), D.AddHours(8));
        driver.Send(D.AddHours(8), "running", 1).Send(D.AddHours(8), "count", 1000).Send(D.AddHours(8).AddSeconds(10), "count", 1010);
        var checkpoint = RoundTrip(driver.Engine.CreateCheckpoint(D.AddHours(8).AddSeconds(10)));

        var catalog = new SignalCatalog(TotalizerLine());
        var restored = new EngineDriver(catalog, LineEngine.Restore(catalog, checkpoint, D.AddHours(8).AddMinutes(1)));
        restored.Send(D.AddHours(8).AddMinutes(1), "running", 1).Send(D.AddHours(8).AddMinutes(1), "count", 1040);

        var s = restored.Snapshot(D.AddHours(8).AddMinutes(1).AddSeconds(20));
        Assert.Equal(40, s.ShiftCounts.Total);
        Assert.Equal(40, s.LifetimeCounts.Total);
        Assert.Equal("early", s.Shift!.Name);
        Assert.Equal(StateCategory.Running, s.State);
        // 06:00–08:00 before the first start and 08:00:10–08:01:00 while down are offline.
        Assert.Equal(TimeSpan.FromHours(2) + TimeSpan.FromSeconds(50), s.Kpi.OfflineTime);
        Assert.Equal(TimeSpan.FromSeconds(30), s.Kpi.RunTime);
    }

    [Fact]
    public void Restart_IntoNewShift_ClosesTheOldShiftWithItsCounts()
    {
        var driver = new EngineDriver(TestLines.Line(TestLines.FullMachine()), D.AddHours(13));
        driver.Send(D.AddHours(13), "running", 1).Send(D.AddHours(13.5), "total", 250);
        var checkpoint = RoundTrip(driver.Engine.CreateCheckpoint(D.AddHours(13.9)));

        var catalog = new SignalCatalog(TestLines.Line(TestLines.FullMachine()));
        var engine = LineEngine.Restore(catalog, checkpoint, D.AddHours(14.5));
        var events = new List<EngineEvent>();
        engine.DrainEvents(events);

        var closed = Assert.Single(events.OfType<ShiftClosedEvent>()).Record;
        Assert.Equal((250L, "early"), (closed.Counts.Total, closed.ShiftName));
        Assert.Equal(TimeSpan.FromMinutes(54), closed.Kpi.RunTime);
        Assert.Equal("late", engine.GetMachineSnapshot(0, D.AddHours(14.5)).Shift!.Name);
        Assert.Equal(250, engine.GetMachineSnapshot(0, D.AddHours(14.5)).LifetimeCounts.Total);
    }

    [Fact]
    public void Restart_DuringStop_EndsTheStopAtTheCheckpointAndKeepsItsReason()
    {
        var driver = new EngineDriver(TestLines.Line(TestLines.FullMachine()), D.AddHours(7));
        driver.Send(D.AddHours(7), "running", 1).Send(D.AddHours(7.5), "fault", 1);
        var checkpoint = RoundTrip(driver.Engine.CreateCheckpoint(D.AddHours(7.75)));

        var catalog = new SignalCatalog(TestLines.Line(TestLines.FullMachine()));
        var restored = new EngineDriver(catalog, LineEngine.Restore(catalog, checkpoint, D.AddHours(8)));
        restored.Send(D.AddHours(8), "fault", 1);

        var s = restored.Snapshot(D.AddHours(8.25));
        Assert.Equal((StateCategory.Down, "fault"), (s.State, s.ReasonCode));
        var fault = Assert.Single(s.Kpi.DowntimeByReason);
        Assert.Equal((TimeSpan.FromMinutes(30), 2), (fault.Duration, fault.Count));
    }

    [Fact]
    public void Restore_CheckpointOfAnotherLine_FailsNamingBoth()
    {
        var driver = new EngineDriver(TestLines.Line(TestLines.FullMachine()), D.AddHours(7));
        var checkpoint = driver.Engine.CreateCheckpoint(D.AddHours(7)) with { Line = "line9" };

        var ex = Assert.Throws<ArgumentException>(() => LineEngine.Restore(driver.Catalog, checkpoint, D.AddHours(7)));
        Assert.Contains("'line9'", ex.Message, StringComparison.Ordinal);
    }
}
