using EdgeOps.Core.Engine.Events;
using EdgeOps.Core.Orders;
using EdgeOps.Core.Tests.Support;

namespace EdgeOps.Core.Tests.Orders;

/// <summary>
/// A shift with a product change at 10:00, computed by hand (ISO 22400: P = Σ ideal_i × count_i / run time).
///
/// Shift "early" 06:00–14:00 UTC, break 10:00–10:30 (the machine stops for it). Product A (ideal 30 s, 120/h) until
/// 10:00, product B (ideal 45 s, 80/h) from 10:00. Fault 12:00–12:20 (Down, 20 min). A: total 420. B: total 240, of
/// which 10 rejected.
///
///   PPT        = 480 − 30                         = 450 min = 27 000 s
///   run time   = 450 − 20                         = 430 min = 25 800 s
///   Σ ideal×n  = 30 × 420 + 45 × 240              = 12 600 + 10 800 = 23 400 s
///   P          = 23 400 / 25 800                  = 0.906976… → 0.9070
///   (one ideal for all: 30 s → 0.7674, 45 s → 1.1512; both wrong)
///   theoretical output = 14 400 s / 30 s + 12 600 s / 45 s = 480 + 280 = 760
///   target     = 4 h × 120/h + 3.5 h × 80/h      = 480 + 280 = 760
///   A = 430 / 450 = 0.9556;  Q = 650 / 660 = 0.9848;  OEE = A × P × Q = 23 400 / 27 000 × 650 / 660 = 0.8535
/// </summary>
public sealed class ProductPerformanceTests
{
    private static readonly DateTimeOffset D = TestLines.Monday;

    private static DateTimeOffset T(int h, int m = 0) => D.AddHours(h).AddMinutes(m);

    private static EngineDriver Shift(Action<EngineDriver, DateTimeOffset, string> setProduct)
    {
        var driver = new EngineDriver(OrderLines.Line(), T(6));
        setProduct(driver, T(6), "A");
        driver.Send(T(6), "running", 1)
            .Send(T(7), "total", 200)
            .Send(T(9, 59), "total", 220)
            .Send(T(10), "running", 0);
        setProduct(driver, T(10), "B");
        driver.Send(T(10, 30), "running", 1)
            .Send(T(11), "total", 100)
            .Send(T(12), "fault", 1)
            .Send(T(12, 20), "fault", 0)
            .Send(T(13), "total", 140)
            .Send(T(13, 30), "reject", 10);
        return driver;
    }

    public static TheoryData<string> Ways { get; } = ["signal code", "signal id", "command", "order"];

    private static Action<EngineDriver, DateTimeOffset, string> Way(string way) => way switch
    {
        "signal code" => (d, at, p) => d.Send(at, "product", p == "A" ? 1 : 2),
        "signal id" => (d, at, p) => d.Engine.Process(new Signals.Signal(d.Catalog.Resolve("m1", "product"), 0, at, Text: p)),
        "command" => (d, at, p) => Assert.True(d.Engine.SetProduct("m1", p, at, "test").Accepted),
        _ => (d, at, p) => Assert.True(d.Engine.StartOrder("m1", new OrderStart("O-" + p, p), at, "test").Accepted),
    };

    [Theory]
    [MemberData(nameof(Ways))]
    public void ShiftWithProductChangeAtTen_PerformanceUsesEachProductsIdealTime(string way)
    {
        var driver = Shift(Way(way)).Advance(T(14));

        var record = Assert.Single(driver.EventsOf<ShiftClosedEvent>()).Record;
        var k = record.Kpi;
        Assert.Equal(TimeSpan.FromMinutes(450), k.PlannedProductionTime);
        Assert.Equal(TimeSpan.FromMinutes(430), k.RunTime);
        Assert.Equal(0.9070, k.Performance!.Value, 4);
        Assert.Equal(0.9556, k.Availability!.Value, 4);
        Assert.Equal(0.9848, k.Quality!.Value, 4);
        Assert.Equal(0.8535, k.Oee!.Value, 4); // 23 400 / 27 000 × 650 / 660
        Assert.Equal(760, record.Capacity.TheoreticalOutput, 6);
        Assert.Equal(760, record.Capacity.Target!.Value, 6);
        Assert.Equal(TimeSpan.FromSeconds(45), k.IdealCycleTime);

        Assert.Collection(record.Products,
            a => Assert.Equal(("A", 420L, 420L, 0L), (a.ProductId, a.Counts.Total, a.Counts.Good, a.Counts.Reject)),
            b => Assert.Equal(("B", 240L, 230L, 10L), (b.ProductId, b.Counts.Total, b.Counts.Good, b.Counts.Reject)));
    }

    [Fact]
    public void ProductChange_LiveSnapshotUsesTheNewIdealFromTheInstantItChanges()
    {
        var driver = Shift(Way("command"));

        // 06:00–10:00 at 30 s: 14 400 s / 30 = 480; 10:30–13:30 at 45 s (the fault is planned production time too):
        // 10 800 / 45 = 240.
        var snapshot = driver.Snapshot(T(13, 30));
        Assert.Equal(720, snapshot.Capacity.TheoreticalOutput, 6);
        Assert.Equal("B", snapshot.ProductId);
        var changes = driver.EventsOf<ProductChangedEvent>().ToList();
        Assert.Equal([("A", (string?)null), ("B", "A")], changes.Select(c => (c.ProductId!, c.PreviousProductId)));
        Assert.Equal(TimeSpan.FromSeconds(45), changes[1].IdealTimePerUnit);
    }

    [Fact]
    public void MultiCavityProduct_IdealTimePerUnitIsCycleTimeOverUnitsPerCycle()
    {
        // Clip: 20 s per cycle, 2 per cycle → 10 s per unit. One hour running, 300 units: P = 3 000 / 3 600 = 0.8333.
        var driver = new EngineDriver(OrderLines.Line(), T(6));
        Assert.True(driver.Engine.SetProduct("m1", "C", T(6), "test").Accepted);
        driver.Send(T(6), "running", 1).Send(T(6, 30), "total", 300);

        var snapshot = driver.Snapshot(T(7));
        Assert.Equal(0.8333, snapshot.Kpi.Performance!.Value, 4);
        Assert.Equal(TimeSpan.FromSeconds(10), snapshot.Kpi.IdealCycleTime);
    }

    [Fact]
    public void WithoutProduct_TheMachinesOwnIdealCycleTimeStaysTheDefault()
    {
        var driver = new EngineDriver(OrderLines.Line(), T(6));
        driver.Send(T(6), "running", 1).Send(T(6, 30), "total", 500);

        var snapshot = driver.Snapshot(T(7));
        Assert.Null(snapshot.ProductId);
        Assert.Equal(TimeSpan.FromSeconds(6), snapshot.Kpi.IdealCycleTime);
        Assert.Equal(6.0 * 500 / 3600, snapshot.Kpi.Performance!.Value, 6);
    }

    [Fact]
    public void LateCountFromBeforeTheChange_TakesTheIdealTimeOfItsOwnInstant()
    {
        // A: 1 h at 30 s; B from 07:00. 60 A-units arrive late (stamped 06:30) after the change: they weigh 30 s each.
        var driver = new EngineDriver(OrderLines.Line(), T(6));
        Assert.True(driver.Engine.SetProduct("m1", "A", T(6), "test").Accepted);
        driver.Send(T(6), "running", 1);
        Assert.True(driver.Engine.SetProduct("m1", "B", T(7), "test").Accepted);
        driver.Send(T(7, 30), "total", 40).Send(T(6, 30), "total", 60);

        // (60 × 30 + 40 × 45) / 7 200 s = 3 600 / 7 200 = 0.5.
        var snapshot = driver.Snapshot(T(8));
        Assert.Equal(0.5, snapshot.Kpi.Performance!.Value, 6);
    }
}
