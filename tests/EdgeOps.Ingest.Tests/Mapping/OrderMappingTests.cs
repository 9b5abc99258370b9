using System.Text;
using EdgeOps.Ingest;

namespace EdgeOps.Ingest.Tests.Mapping;

/// <summary>
/// Production orders in InfluxDB (docs/historian.md, "Orders"): the order topic and the order events are tagged with the
/// product; a completed order, and each revision of it, is one point in <c>orders</c> at its release time, so a
/// revision overwrites the record it revises.
/// </summary>
public sealed class OrderMappingTests
{
    private const string Machine = "edgeops/v1/plant1/assembly/line1/press1";

    private static string Order(string status, int revision, double good, string? end = null) =>
        $$"""{"orderId":"PO-4711","scope":"machine","machine":"press1","product":"bracket-a","productName":"Bracket A","quantity":500,"due":"2026-11-26T12:00:00.000Z","status":"{{status}}","start":"2026-11-26T06:30:00.000Z"{{(end is null ? "" : $",\"end\":\"{end}\"")}},"revision":{{revision}},"cycleTimeS":19800,"productionTimeS":16200,"pausedTimeS":0,"changeoverTimeS":540,"counts":{"total":{{good + 6}},"good":{{good}},"reject":6},"firstPassYield":0.988,"oee":0.71,"plannedProductionTimeS":18000,"downtimeS":1800,"downtimeByReason":[{"code":"jam","label":"Jam","seconds":1800,"count":3}],"ratePerHour":110.5,"onTime":false,"startedBy":"mqtt:mes","completedBy":"board:maria"}""";

    private static string Event(long seq, string type, string at, string order) =>
        $$"""{"schema":"edgeops.event/1","seq":{{seq}},"ts":"{{at}}","machine":"press1","type":"{{type}}","severity":"info","message":"{{type}}","at":"{{at}}","order":{{order}}}""";

    private static (MapStatus Status, List<InfluxPoint> Points, string? Error) Map(string topic, string json)
    {
        var points = new List<InfluxPoint>();
        var status = ContractPointMapper.Map(topic, Encoding.UTF8.GetBytes(json), points, out var error);
        return (status, points, error);
    }

    [Fact]
    public void OrderTopic_MapsToOrder_TaggedWithTheProduct_AtTheGatewaysTime()
    {
        var (status, points, error) = Map(Machine + "/order",
            $$"""{"schema":"edgeops.order/1","seq":4,"ts":"2026-11-26T09:00:00.000Z","machine":"press1","order":{{Order("running", 0, 300)}}}""");

        Assert.True(status == MapStatus.Mapped, error);
        var order = Assert.Single(points, p => p.Measurement == "order");
        Assert.Contains(new KeyValuePair<string, string>("product", "bracket-a"), order.Tags);
        Assert.Equal(DateTimeOffset.Parse("2026-11-26T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds() * 1_000_000,
            order.TimestampNs);
        var line = order.ToLineProtocol();
        Assert.Contains("order_orderId=\"PO-4711\"", line, StringComparison.Ordinal);
        Assert.Contains("order_counts_good=300", line, StringComparison.Ordinal);
        Assert.Contains("order_onTime=false", line, StringComparison.Ordinal);
        // A running order is no record yet.
        Assert.DoesNotContain(points, p => p.Measurement == "orders");
    }

    [Fact]
    public void OrderCompletedEvent_AndItsRevision_AreOneOrdersPointAtTheRelease_TheRevisionOverwriting()
    {
        var (status, completed, error) = Map(Machine + "/events",
            Event(41, "orderCompleted", "2026-11-26T12:00:00.000Z", Order("completed", 0, 490, "2026-11-26T12:00:00.000Z")));
        Assert.True(status == MapStatus.Mapped, error);
        var (_, revised, _) = Map(Machine + "/events",
            Event(57, "orderRevised", "2026-11-26T12:20:00.000Z", Order("completed", 1, 494, "2026-11-26T12:00:00.000Z")));

        // The events themselves stay events (at + seq), tagged with the product.
        var firstEvent = Assert.Single(completed, p => p.Measurement == "events");
        Assert.Contains(new KeyValuePair<string, string>("product", "bracket-a"), firstEvent.Tags);
        Assert.Contains(completed, p => p.Measurement == "events_downtimeByReason");

        var first = Assert.Single(completed, p => p.Measurement == "orders");
        var second = Assert.Single(revised, p => p.Measurement == "orders");
        var release = DateTimeOffset.Parse("2026-11-26T06:30:00Z", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds() * 1_000_000;
        Assert.Equal(release, first.TimestampNs);
        Assert.Equal(first.TimestampNs, second.TimestampNs);
        Assert.Equal(first.Tags, second.Tags);
        Assert.Equal(
            new KeyValuePair<string, string>[] { new("area", "assembly"), new("line", "line1"), new("machine", "press1"), new("product", "bracket-a"), new("site", "plant1") },
            first.Tags);
        var line = second.ToLineProtocol();
        Assert.StartsWith("orders,area=assembly,line=line1,machine=press1,product=bracket-a,site=plant1 orderId=\"PO-4711\"", line, StringComparison.Ordinal);
        Assert.Contains("revision=1", line, StringComparison.Ordinal);
        Assert.Contains("counts_good=494", line, StringComparison.Ordinal);
        Assert.Contains("cycleTimeS=19800", line, StringComparison.Ordinal);
        Assert.Contains("onTime=false", line, StringComparison.Ordinal);
        // The product is the tag, not also a field; the machine would shadow the tag; arrays stay with the event.
        Assert.DoesNotContain(" product=", line, StringComparison.Ordinal);
        Assert.DoesNotContain(",product=\"", line, StringComparison.Ordinal);
        Assert.DoesNotContain("machine=\"", line, StringComparison.Ordinal);
        Assert.DoesNotContain("downtimeByReason", line, StringComparison.Ordinal);
    }

    [Fact]
    public void OrderStartedEvent_IsAnEventOnly()
    {
        var (status, points, error) = Map(Machine + "/events",
            Event(40, "orderStarted", "2026-11-26T06:30:00.000Z", Order("running", 0, 0)));

        Assert.True(status == MapStatus.Mapped, error);
        Assert.DoesNotContain(points, p => p.Measurement == "orders");
        Assert.Contains(new KeyValuePair<string, string>("product", "bracket-a"), Assert.Single(points, p => p.Measurement == "events").Tags);
    }

    [Fact]
    public void OrderCompletedEvent_WithoutItsRelease_IsInvalid_NamingTheMember()
    {
        var order = Order("completed", 0, 490, "2026-11-26T12:00:00.000Z").Replace("\"start\":\"2026-11-26T06:30:00.000Z\",", "", StringComparison.Ordinal);
        var (status, points, error) = Map(Machine + "/events", Event(41, "orderCompleted", "2026-11-26T12:00:00.000Z", order));

        Assert.Equal(MapStatus.Invalid, status);
        Assert.Empty(points);
        Assert.Contains("'order.start'", error, StringComparison.Ordinal);
        Assert.Contains(Machine + "/events", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Orders_TakeTheFullMapper_WhichGivesTheLinesTheHistorianWrites()
    {
        // The fast path declines orders (a few messages a minute) rather than keep a second copy of the product rule.
        var lines = new LineBatch();
        Assert.False(ContractLineFastPath.TryMap(Machine + "/order",
            Encoding.UTF8.GetBytes($$"""{"schema":"edgeops.order/1","seq":4,"ts":"2026-11-26T09:00:00.000Z","machine":"press1","order":{{Order("running", 0, 300)}}}"""),
            lines));
        Assert.False(ContractLineFastPath.TryMap(Machine + "/events",
            Encoding.UTF8.GetBytes(Event(41, "orderCompleted", "2026-11-26T12:00:00.000Z", Order("completed", 0, 490, "2026-11-26T12:00:00.000Z"))), lines));
        Assert.Equal(0, lines.Count);
    }

    [Fact]
    public void ShiftWithPerProductCounts_IsOnePointPerProduct_TaggedWithTheProduct()
    {
        // As EnginePayloads writes a closed shift in which two products ran (Samples.Orders has the gateway's own).
        const string Shift = """{"schema":"edgeops.shift/1","seq":9,"ts":"2026-11-26T14:00:05.000Z","machine":"press1","shift":"early","start":"2026-11-26T06:00:00.000Z","end":"2026-11-26T14:00:00.000Z","revision":0,"counts":{"total":660,"good":650,"reject":10},"products":[{"product":"bracket-a","counts":{"total":420,"good":420,"reject":0}},{"product":"bracket-b","counts":{"total":240,"good":230,"reject":10,"rework":4}}]}""";

        var (status, points, error) = Map(Machine + "/shift", Shift);

        Assert.True(status == MapStatus.Mapped, error);
        var products = points.Where(p => p.Measurement == "shift_products").ToList();
        Assert.Equal(["bracket-a", "bracket-b"], products.Select(p => p.Tags.Single(t => t.Key == "product").Value));
        var b = products[1].ToLineProtocol();
        Assert.StartsWith("shift_products,area=assembly,line=line1,machine=press1,product=bracket-b,site=plant1 ", b, StringComparison.Ordinal);
        Assert.Contains("counts_good=230", b, StringComparison.Ordinal);
        Assert.Contains("counts_rework=4", b, StringComparison.Ordinal);
        Assert.DoesNotContain("item=", b, StringComparison.Ordinal);
        Assert.All(products, p => Assert.Equal(Assert.Single(points, q => q.Measurement == "shift").TimestampNs, p.TimestampNs));
        Assert.False(ContractLineFastPath.TryMap(Machine + "/shift", Encoding.UTF8.GetBytes(Shift), new LineBatch()));
    }
}
