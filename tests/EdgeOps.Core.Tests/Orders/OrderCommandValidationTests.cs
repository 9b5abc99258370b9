using EdgeOps.Core.Engine.Events;
using EdgeOps.Core.Orders;
using EdgeOps.Core.Tests.Support;

namespace EdgeOps.Core.Tests.Orders;

/// <summary>Bad order commands: each refused naming the field, and nothing half-applied.</summary>
public sealed class OrderCommandValidationTests
{
    private static readonly DateTimeOffset D = TestLines.Monday.AddHours(6);

    private static EngineDriver WithRunningOrder()
    {
        var driver = new EngineDriver(OrderLines.Line(), D);
        driver.Send(D, "running", 1);
        Assert.True(driver.Engine.StartOrder("m1", new OrderStart("O-1", "A", 100), D, "test").Accepted);
        driver.Send(D.AddMinutes(10), "total", 10);
        driver.Advance(D.AddMinutes(10));
        driver.Events.Clear();
        return driver;
    }

    public static TheoryData<string, OrderStart, string, string> BadStarts { get; } = new()
    {
        { "m1", new OrderStart(new string('x', 65)), OrderLimits.OrderIdField, "65 characters" },
        { "m1", new OrderStart("O-\u0007-2"), OrderLimits.OrderIdField, "control character" },
        { "m1", new OrderStart("O-2\n"), OrderLimits.OrderIdField, "control character" },
        { "m1", new OrderStart(""), OrderLimits.OrderIdField, "empty" },
        { "m1", new OrderStart("O-2", "Z"), OrderLimits.ProductField, "configured: A, B, C" },
        { "m1", new OrderStart("O-2", "A", 0), OrderLimits.QuantityField, "quantity 0" },
        { "m1", new OrderStart("O-2", "A", -5), OrderLimits.QuantityField, "quantity -5" },
        { "m9", new OrderStart("O-2", "A"), OrderLimits.MachineField, "unknown machine 'm9'" },
        { "m1", new OrderStart("O-1", "B"), OrderLimits.OrderIdField, "already runs" },
    };

    [Theory]
    [MemberData(nameof(BadStarts))]
    public void StartOrder_BadInput_RefusedNamingTheFieldAndNothingChanges(string scope, OrderStart start, string field, string message)
    {
        var driver = WithRunningOrder();

        var result = driver.Engine.StartOrder(scope, start, D.AddMinutes(20), "test");

        Assert.False(result.Accepted);
        Assert.Equal(field, result.Field);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
        Assert.Null(result.Order);
        var current = driver.Engine.GetOrder("m1", D.AddMinutes(20))!;
        Assert.Equal(("O-1", OrderStatus.Running, "A", 10L), (current.OrderId, current.Status, current.ProductId, current.Counts.Total));
        Assert.Equal("A", driver.Engine.GetActiveProduct("m1"));
        Assert.Empty(driver.EventsOf<OrderEvent>());
        Assert.Empty(driver.EventsOf<ProductChangedEvent>());
    }

    [Fact]
    public void CompleteOrder_NothingRunning_RefusedNamingTheOrderId()
    {
        var driver = new EngineDriver(OrderLines.Line(), D);

        var result = driver.Engine.CompleteOrder("m1", "O-7", D, "test");

        Assert.False(result.Accepted);
        Assert.Equal(OrderLimits.OrderIdField, result.Field);
        Assert.Contains("'O-7' is not running on machine 'm1'", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void CompleteOrder_AnotherOrderRuns_RefusedAndTheRunningOrderGoesOn()
    {
        var driver = WithRunningOrder();

        var result = driver.Engine.CompleteOrder("m1", "O-2", D.AddMinutes(20), "test");

        Assert.Equal(OrderLimits.OrderIdField, result.Field);
        Assert.Contains("order 'O-1' is", result.Error, StringComparison.Ordinal);
        Assert.Equal(OrderStatus.Running, driver.Engine.GetOrder("m1", D.AddMinutes(21))!.Status);
    }

    [Fact]
    public void PauseAndResume_WrongState_Refused()
    {
        var driver = WithRunningOrder();

        Assert.Equal(OrderLimits.OrderIdField, driver.Engine.ResumeOrder("m1", null, D.AddMinutes(20), "test").Field);
        Assert.True(driver.Engine.PauseOrder("m1", null, D.AddMinutes(20), "test").Accepted);
        var again = driver.Engine.PauseOrder("m1", "O-1", D.AddMinutes(21), "test");
        Assert.False(again.Accepted);
        Assert.Contains("paused", again.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void SetProduct_Unknown_RefusedNamingTheConfiguredProducts()
    {
        var driver = WithRunningOrder();

        var result = driver.Engine.SetProduct("m1", "X-9", D.AddMinutes(20), "test");

        Assert.Equal(OrderLimits.ProductField, result.Field);
        Assert.Contains("unknown product 'X-9' (configured: A, B, C)", result.Error, StringComparison.Ordinal);
        Assert.Equal("A", driver.Engine.GetActiveProduct("m1"));
    }

    [Fact]
    public void ProductSignal_UnknownCode_ReportedOnceAndTheProductStays()
    {
        var driver = WithRunningOrder();

        driver.Send(D.AddMinutes(20), "product", 42).Send(D.AddMinutes(21), "product", 42);

        var invalid = Assert.Single(driver.EventsOf<InvalidStateInputEvent>());
        Assert.Contains("code (42)", invalid.Problem, StringComparison.Ordinal);
        Assert.Equal("A", driver.Engine.GetActiveProduct("m1"));
    }
}
