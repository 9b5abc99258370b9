using EdgeOps.Core.Engine.Events;
using EdgeOps.Core.Orders;
using EdgeOps.Core.Tests.Support;

namespace EdgeOps.Core.Tests.Orders;

/// <summary>Order records computed by hand: cycle time, production time, FPY, KPIs, progress and projection.</summary>
public sealed class OrderRecordTests
{
    private static readonly DateTimeOffset D = TestLines.Monday;

    private static DateTimeOffset T(int h, int m = 0) => D.AddHours(h).AddMinutes(m);

    /// <summary>
    /// Order O-100, product A (30 s), 500 ordered, due 16:00: released 09:00, completed 15:00, across the 10:00–10:30
    /// break (machine stopped) and the 14:00 shift boundary (machine running on). Fault 11:00–11:15.
    /// Counts: total 500, reject 10, rework 15.
    ///
    ///   order cycle time = 15:00 − 09:00               = 6 h      = 21 600 s
    ///   production time  = 6 h − 30 min − 15 min      = 5 h 15   = 18 900 s
    ///   PPT              = 6 h − 30 min break          = 19 800 s;  A = 18 900 / 19 800 = 0.9545
    ///   P                = 30 s × 500 / 18 900 s       = 0.7937;    Q = 490 / 500 = 0.98
    ///   FPY              = (500 − 10 − 15) / 500       = 0.95
    ///   on time: 15:00 ≤ 16:00
    /// </summary>
    [Fact]
    public void OrderAcrossBreakAndShiftBoundary_MatchesHandComputedCycleAndProductionTime()
    {
        var driver = new EngineDriver(OrderLines.Line(), T(6));
        driver.Send(T(6), "running", 1);
        var started = driver.Engine.StartOrder("m1", new OrderStart("O-100", "A", 500, T(16)), T(9), "test");
        Assert.True(started.Accepted, started.Error);
        driver.Send(T(9, 30), "total", 100)
            .Send(T(10), "running", 0).Send(T(10, 30), "running", 1)
            .Send(T(11), "fault", 1).Send(T(11, 15), "fault", 0)
            .Send(T(12), "total", 150).Send(T(13), "total", 100)
            .Send(T(14, 30), "total", 150).Send(T(14, 30), "reject", 10).Send(T(14, 40), "rework", 15);

        var result = driver.Engine.CompleteOrder("m1", "O-100", T(15), "test");

        Assert.True(result.Accepted, result.Error);
        var r = result.Order!;
        Assert.Equal(OrderStatus.Completed, r.Status);
        Assert.Equal((T(9), T(15)), (r.Start, r.End!.Value));
        Assert.Equal(TimeSpan.FromHours(6), r.CycleTime);
        Assert.Equal(TimeSpan.FromMinutes(315), r.ProductionTime);
        Assert.Equal(TimeSpan.Zero, r.PausedTime);
        Assert.Equal((500L, 490L, 10L, 15L), (r.Counts.Total, r.Counts.Good, r.Counts.Reject, r.Counts.Rework));
        Assert.Equal(0.95, r.Kpi.FirstPassYield!.Value, 4);
        Assert.Equal(TimeSpan.FromSeconds(19_800), r.Kpi.PlannedProductionTime);
        Assert.Equal(0.9545, r.Kpi.Availability!.Value, 4);
        Assert.Equal(0.7937, r.Kpi.Performance!.Value, 4);
        Assert.Equal(0.98, r.Kpi.Quality!.Value, 4);
        var fault = Assert.Single(r.Kpi.DowntimeByReason);
        Assert.Equal(("fault", TimeSpan.FromMinutes(15), 1), (fault.ReasonCode, fault.Duration, fault.Count));
        Assert.Equal(0.98, r.Progress!.Value, 4);
        Assert.True(r.OnTime);
        Assert.Equal("A", r.ProductId);
        Assert.Equal(OrderChange.Completed, driver.EventsOf<OrderEvent>().Last().Change);
    }

    /// <summary>
    /// Released 21:00 in the late shift, the machine stops at 22:00 when the shift ends and restarts at 06:00; completed
    /// 07:00. Off-shift time while not running is no production time and no downtime: cycle 10 h, production 2 h, A = 1.
    /// </summary>
    [Fact]
    public void OrderRunningAtShiftEnd_ContinuesInTheNextShift()
    {
        var driver = new EngineDriver(OrderLines.Line(), T(14));
        driver.Send(T(14), "running", 1);
        Assert.True(driver.Engine.StartOrder("m1", new OrderStart("O-N", "B"), T(21), "test").Accepted);
        driver.Send(T(21, 30), "total", 120).Send(T(22), "running", 0)
            .Send(T(30), "running", 1).Send(T(30, 30), "total", 100);

        var running = driver.Engine.GetOrder("m1", T(30, 30))!;
        Assert.Equal(OrderStatus.Running, running.Status);
        Assert.Equal(220, running.Counts.Total);

        var r = driver.Engine.CompleteOrder("m1", null, T(31), "test").Order!;
        Assert.Equal(TimeSpan.FromHours(10), r.CycleTime);
        Assert.Equal(TimeSpan.FromHours(2), r.ProductionTime);
        Assert.Equal(TimeSpan.FromHours(2), r.Kpi.PlannedProductionTime);
        Assert.Equal(1.0, r.Kpi.Availability!.Value, 6);
        Assert.Equal(TimeSpan.Zero, r.Kpi.Downtime);
        Assert.Equal(45.0 * 220 / 7200, r.Kpi.Performance!.Value, 6);
    }

    [Fact]
    public void OrderStartedMidRun_WithTheActiveProduct_CountsOnlyTimeFromItsRelease()
    {
        // Nothing happens at 09:00 but the release: the three hours before it are not the order's.
        var driver = new EngineDriver(OrderLines.Line(), T(6));
        Assert.True(driver.Engine.SetProduct("m1", "A", T(6), "test").Accepted);
        driver.Send(T(6), "running", 1);
        Assert.True(driver.Engine.StartOrder("m1", new OrderStart("O-1"), T(9), "test").Accepted);
        driver.Send(T(9, 30), "total", 100);

        var r = driver.Engine.CompleteOrder("m1", "O-1", T(9, 45), "test").Order!;
        Assert.Equal(TimeSpan.FromMinutes(45), r.CycleTime);
        Assert.Equal(TimeSpan.FromMinutes(45), r.ProductionTime);
        Assert.Equal("A", r.ProductId);
    }

    [Fact]
    public void RunningOrder_ReportsProgressRateProjectionAndDueCheck()
    {
        var driver = new EngineDriver(OrderLines.Line(), T(6));
        driver.Send(T(6), "running", 1);
        Assert.True(driver.Engine.StartOrder("m1", new OrderStart("O-1", "A", 200, T(7, 30)), T(6), "test").Accepted);
        driver.Send(T(6, 59), "total", 100);

        // 100 good in 1 h → 100/h; 100 remain → 08:00, after the 07:30 due time.
        var r = driver.Snapshot(T(7)).Order!;
        Assert.Equal(0.5, r.Progress!.Value, 6);
        Assert.Equal(100, r.RatePerHour, 6);
        Assert.Equal(T(8), r.ProjectedCompletion);
        Assert.False(r.OnTime);
        Assert.Equal(TimeSpan.FromHours(1), r.CycleTime);
    }

    [Fact]
    public void RunningOrderPastItsDueTime_IsLate_EvenWithoutAProjection()
    {
        // No good part yet, so no rate and no projection: before 07:00 nothing can be said, after it the order is late.
        var driver = new EngineDriver(OrderLines.Line(), T(6));
        driver.Send(T(6), "running", 1);
        Assert.True(driver.Engine.StartOrder("m1", new OrderStart("O-1", "A", 200, T(7)), T(6), "test").Accepted);

        var before = driver.Snapshot(T(6, 59)).Order!;
        Assert.Null(before.ProjectedCompletion);
        Assert.Null(before.OnTime);
        var after = driver.Snapshot(T(7, 1)).Order!;
        Assert.Null(after.ProjectedCompletion);
        Assert.False(after.OnTime);

        // Without a quantity there is never a projection; past its due time and still running, it is late too.
        Assert.True(driver.Engine.StartOrder("m1", new OrderStart("O-2", "B", null, T(8)), T(7, 10), "test").Accepted);
        driver.Send(T(7, 30), "total", 40);
        Assert.Null(driver.Snapshot(T(7, 59)).Order!.OnTime);
        Assert.False(driver.Snapshot(T(8, 1)).Order!.OnTime);
        Assert.False(driver.Engine.CompleteOrder("m1", "O-2", T(8, 5), "test").Order!.OnTime);
    }

    [Fact]
    public void OrderSignal_WholeNumber_StartsTheOrderOfThatNumber_SameNumberAgainChangesNothing_ZeroCompletes()
    {
        // A PLC that holds the order number in an integer register (Modbus, or an OPC UA Int32 node).
        var driver = new EngineDriver(OrderLines.Line(), T(6));
        driver.Send(T(6), "running", 1).Send(T(6), "product", 1)
            .Send(T(6, 1), "order", 4711).Send(T(6, 20), "total", 30).Send(T(6, 30), "order", 4711)
            .Send(T(7), "order", 0);

        var events = driver.EventsOf<OrderEvent>().Select(e => (e.Change, e.Record.OrderId)).ToList();
        Assert.Equal([(OrderChange.Started, "4711"), (OrderChange.Completed, "4711")], events);
        var done = driver.EventsOf<OrderEvent>().Last().Record;
        Assert.Equal(("A", 30L, TimeSpan.FromMinutes(59)), (done.ProductId, done.Counts.Total, done.CycleTime));
    }

    [Fact]
    public void ChangeoverBeforeAnOrder_IsPreviousOrderEndToFirstGoodPart()
    {
        var driver = new EngineDriver(OrderLines.Line(), T(6));
        driver.Send(T(6), "running", 1);
        Assert.True(driver.Engine.StartOrder("m1", new OrderStart("O-1", "A"), T(6), "test").Accepted);
        driver.Send(T(6, 30), "total", 50);
        var second = driver.Engine.StartOrder("m1", new OrderStart("O-2", "B"), T(7), "test");
        driver.Send(T(7, 12), "total", 1);

        Assert.Equal("O-1", second.Completed!.OrderId);
        Assert.Null(second.Completed.ChangeoverTime); // the first order had none before it
        var r = driver.Engine.GetOrder("m1", T(7, 30))!;
        Assert.Equal(TimeSpan.FromMinutes(12), r.ChangeoverTime);
        Assert.Equal(T(7, 12), r.FirstGoodAt);
    }

    [Fact]
    public void PausedOrder_CycleTimeGoesOnButProductionTimeAndCountsDoNot()
    {
        var driver = new EngineDriver(OrderLines.Line(), T(6));
        driver.Send(T(6), "running", 1);
        Assert.True(driver.Engine.StartOrder("m1", new OrderStart("O-1", "A"), T(6), "test").Accepted);
        driver.Send(T(6, 30), "total", 50);
        Assert.True(driver.Engine.PauseOrder("m1", "O-1", T(7), "test").Accepted);
        driver.Send(T(7, 30), "total", 70); // another job in between: not this order's
        Assert.True(driver.Engine.ResumeOrder("m1", "O-1", T(8), "test").Accepted);
        driver.Send(T(8, 30), "total", 30);

        var r = driver.Engine.CompleteOrder("m1", "O-1", T(9), "test").Order!;
        Assert.Equal(TimeSpan.FromHours(3), r.CycleTime);
        Assert.Equal(TimeSpan.FromHours(1), r.PausedTime);
        Assert.Equal(TimeSpan.FromHours(2), r.ProductionTime);
        Assert.Equal(80, r.Counts.Total);
        Assert.Equal(
            [OrderChange.Started, OrderChange.Paused, OrderChange.Resumed, OrderChange.Completed],
            driver.EventsOf<OrderEvent>().Select(e => e.Change));
    }

    [Fact]
    public void LateCount_RevisesTheCompletedOrderItBelongsTo()
    {
        var driver = new EngineDriver(OrderLines.Line(), T(6));
        driver.Send(T(6), "running", 1);
        Assert.True(driver.Engine.StartOrder("m1", new OrderStart("O-1", "A"), T(7), "test").Accepted);
        driver.Send(T(7, 30), "total", 100);
        Assert.True(driver.Engine.CompleteOrder("m1", "O-1", T(8), "test").Accepted);
        driver.Advance(T(8, 1));
        Assert.DoesNotContain(driver.EventsOf<OrderEvent>(), e => e.Change == OrderChange.Revised);

        // A buffered source catches up: 20 units counted at 07:45 arrive at 08:05, 5 more from after the order.
        driver.Send(T(8, 5), "total", 20);
        driver.Send(T(7, 45), "total", 20).Send(T(8, 4), "total", 5).Advance(T(8, 6));

        var revised = Assert.Single(driver.EventsOf<OrderEvent>(), e => e.Change == OrderChange.Revised).Record;
        Assert.Equal(("O-1", 1, 120L), (revised.OrderId, revised.Revision, revised.Counts.Total));
        Assert.Equal(OrderStatus.Completed, revised.Status);
        Assert.Equal(T(8), revised.End);
    }

    [Fact]
    public void LineOrder_SetsEveryMachinesProductAndReportsTheOutputMachine()
    {
        var driver = new EngineDriver(OrderLines.Line(OrderLines.Machine("m1"), OrderLines.Machine("m2")), T(6));
        driver.Send(T(6), "running", 1, "m1").Send(T(6), "running", 1, "m2");
        var started = driver.Engine.StartOrder("line1", new OrderStart("L-1", "B", 100), T(6), "test");
        driver.Send(T(6, 30), "total", 80, "m1").Send(T(6, 40), "total", 60, "m2");

        Assert.True(started.Accepted, started.Error);
        Assert.Equal(("B", "B"), (driver.Engine.GetActiveProduct("m1"), driver.Engine.GetActiveProduct("m2")));
        var line = driver.Engine.GetLineSnapshot(T(7)).Order!;
        Assert.True(line.LineScope);
        Assert.Equal(("m2", 60L), (line.MachineId, line.Counts.Total));
        var refused = driver.Engine.StartOrder("m1", new OrderStart("M-1"), T(7), "test");
        Assert.Equal(OrderLimits.MachineField, refused.Field);
        Assert.Contains("L-1", refused.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void OrderSignal_NewIdCompletesTheRunningOrderAndStartsTheNext_EmptyCompletes()
    {
        var driver = new EngineDriver(OrderLines.Line(), T(6));
        var order = driver.Catalog.Resolve("m1", "order");
        driver.Send(T(6), "running", 1).Send(T(6), "product", 2);
        driver.Engine.Process(new Signals.Signal(order, 0, T(6), Text: "ORD-1"));
        driver.Engine.Process(new Signals.Signal(order, 0, T(6, 10), Text: "ORD-1"));
        driver.Send(T(6, 30), "total", 40);
        driver.Engine.Process(new Signals.Signal(order, 0, T(7), Text: "ORD-2"));
        driver.Engine.Process(new Signals.Signal(order, 0, T(8), Text: string.Empty));

        var events = driver.EventsOf<OrderEvent>().Select(e => (e.Change, e.Record.OrderId)).ToList();
        Assert.Equal(
            [(OrderChange.Started, "ORD-1"), (OrderChange.Completed, "ORD-1"), (OrderChange.Started, "ORD-2"), (OrderChange.Completed, "ORD-2")],
            events);
        var first = driver.EventsOf<OrderEvent>().First(e => e.Change == OrderChange.Completed).Record;
        Assert.Equal(("B", 40L, "signal:order"), (first.ProductId, first.Counts.Total, first.StartedBy));
    }
}
