using System.Text.Json;
using EdgeOps.Core.Engine;
using EdgeOps.Core.Engine.Checkpoints;
using EdgeOps.Core.Engine.Events;
using EdgeOps.Core.Orders;
using EdgeOps.Core.Tests.Support;

namespace EdgeOps.Core.Tests.Orders;

/// <summary>Orders and products survive a restart through a checkpoint (JSON round trip, as the host stores it).</summary>
public sealed class OrderCheckpointTests
{
    private static readonly DateTimeOffset D = TestLines.Monday;

    private static DateTimeOffset T(int h, int m = 0) => D.AddHours(h).AddMinutes(m);

    private static EngineCheckpoint RoundTrip(EngineCheckpoint checkpoint) =>
        JsonSerializer.Deserialize<EngineCheckpoint>(JsonSerializer.Serialize(checkpoint))!;

    [Fact]
    public void Restart_RunningOrderAndProductCarryOn_CompletedOrderStillRevisable()
    {
        var driver = new EngineDriver(OrderLines.Line(), T(6));
        driver.Send(T(6), "running", 1);
        Assert.True(driver.Engine.StartOrder("m1", new OrderStart("O-1", "A"), T(6), "test").Accepted);
        driver.Send(T(6, 30), "total", 50);
        Assert.True(driver.Engine.StartOrder("m1", new OrderStart("O-2", "B", 300, T(12)), T(7), "mqtt:anna").Accepted);
        driver.Send(T(7, 30), "total", 40).Send(T(7, 40), "reject", 2);

        var checkpoint = RoundTrip(driver.Engine.CreateCheckpoint(T(8)));
        var restored = new EngineDriver(driver.Catalog, LineEngine.Restore(driver.Catalog, checkpoint, T(8)));
        restored.Send(T(8), "running", 1).Send(T(8, 30), "total", 60);
        restored.Send(T(6, 45), "total", 5).Advance(T(8, 31)); // late, for the completed O-1

        Assert.Equal("B", restored.Engine.GetActiveProduct("m1"));
        var revised = Assert.Single(restored.EventsOf<OrderEvent>(), e => e.Change == OrderChange.Revised).Record;
        Assert.Equal(("O-1", 1, 55L), (revised.OrderId, revised.Revision, revised.Counts.Total));

        var done = restored.Engine.CompleteOrder("m1", "O-2", T(9), "test").Order!;
        Assert.Equal((100L, 98L, 2L), (done.Counts.Total, done.Counts.Good, done.Counts.Reject));
        Assert.Equal(T(7), done.Start);
        Assert.Equal(("mqtt:anna", 300L, T(12)), (done.StartedBy!, done.Quantity!.Value, done.Due!.Value));
        // Running 07:00–09:00; the restart instant 08:00 has no gap (restored at the checkpoint's time).
        Assert.Equal(TimeSpan.FromHours(2), done.ProductionTime);
        Assert.Equal(45.0 * 100 / 7200, done.Kpi.Performance!.Value, 6);
        Assert.Equal(TimeSpan.FromMinutes(30), done.ChangeoverTime); // O-1 ended 07:00, O-2 made its first part at 07:30
    }

    [Fact]
    public void Restart_ShiftRecordKeepsPerProductCountsAndIdealWeightedPerformance()
    {
        var driver = new EngineDriver(OrderLines.Line(), T(6));
        driver.Send(T(6), "running", 1);
        Assert.True(driver.Engine.SetProduct("m1", "A", T(6), "test").Accepted);
        driver.Send(T(7), "total", 100);
        Assert.True(driver.Engine.SetProduct("m1", "B", T(8), "test").Accepted);

        var checkpoint = RoundTrip(driver.Engine.CreateCheckpoint(T(8)));
        var restored = new EngineDriver(driver.Catalog, LineEngine.Restore(driver.Catalog, checkpoint, T(8)));
        restored.Send(T(8), "running", 1).Send(T(9), "total", 40).Advance(T(14));

        var record = Assert.Single(restored.EventsOf<ShiftClosedEvent>()).Record;
        Assert.Equal([("A", 100L), ("B", 40L)], record.Products.Select(p => (p.ProductId, p.Counts.Total)));
        // (100 × 30 + 40 × 45) / run time; run 06:00–10:00 and 10:30–14:00 (the break stops nothing: running through it).
        Assert.Equal((100 * 30.0 + 40 * 45.0) / record.Kpi.RunTime.TotalSeconds, record.Kpi.Performance!.Value, 6);
    }
}
