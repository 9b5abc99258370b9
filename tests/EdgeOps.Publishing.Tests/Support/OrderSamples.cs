using EdgeOps.Contract;
using EdgeOps.Contract.Payloads;
using EdgeOps.Core.Engine.Events;
using EdgeOps.Core.Kpi;
using EdgeOps.Core.Orders;
using EdgeOps.Publishing.Mqtt;
using EdgeOps.Publishing.Mqtt.Engine;
using EdgeOps.Publishing.Outbox;

namespace EdgeOps.Publishing.Tests.Support;

/// <summary>
/// A day of production orders on one machine and the line, through the gateway's own mapping
/// (<see cref="EnginePayloads"/>: the order topic and the order events): PO-1 (bracket-a) completed on time and then
/// revised by a late count, PO-2 (bracket-b) completed after its due time, PO-3 (bracket-a) running and projected
/// late, and a line order LO-1 running. Times from <see cref="Start"/>, so a historian stores them at fixed times.
/// </summary>
public static class OrderSamples
{
    public static readonly DateTimeOffset Start = new(2026, 11, 26, 6, 0, 0, TimeSpan.Zero);

    /// <summary>The completed orders, each once (PO-1 at its newest revision).</summary>
    public static IReadOnlyList<string> CompletedOrders { get; } = ["PO-1", "PO-2"];

    public static IEnumerable<OutgoingMessage> All(MachineTopics machine)
    {
        ArgumentNullException.ThrowIfNull(machine);
        var t = Start;
        var line = MqttTopics.LineScope(machine.Site, machine.Area, machine.Line);

        // PO-1: released at 06:00, due 10:00, completed 09:00; a late count at 09:20 revises it.
        var po1 = Record(machine, "PO-1", "bracket-a", "Bracket A", quantity: 470, t, due: t.AddHours(4));
        yield return Started(machine, po1);
        yield return Snapshot(machine, po1 with { Counts = new(240, 236, 4, 1), Progress = 236 / 470.0, RatePerHour = 118, ProjectedCompletion = t.AddHours(4), OnTime = true }, t.AddHours(2));
        var po1Done = po1 with
        {
            Status = OrderStatus.Completed, End = t.AddHours(3), CycleTime = TimeSpan.FromHours(3), ProductionTime = TimeSpan.FromHours(2.5),
            Counts = new(482, 470, 12, 2), Progress = 1, RatePerHour = 156.7, OnTime = true, CompletedBy = "mqtt:mes", ChangeoverTime = TimeSpan.FromMinutes(10),
            Kpi = Kpi(oee: 0.71, fpy: 0.971, changeover: false),
        };
        yield return Event(machine, OrderChange.Completed, po1Done, po1Done.End!.Value);
        yield return Snapshot(machine, po1Done, po1Done.End!.Value);
        yield return Event(machine, OrderChange.Revised, po1Done with { Revision = 1, Counts = new(484, 472, 12, 2) }, t.AddHours(3.33));

        // PO-2: released at 09:00, due 11:00, completed 12:00: late.
        var t2 = t.AddHours(3);
        var po2 = Record(machine, "PO-2", "bracket-b", "Bracket B", quantity: 300, t2, due: t2.AddHours(2));
        yield return Started(machine, po2);
        var po2Done = po2 with
        {
            Status = OrderStatus.Completed, End = t2.AddHours(3), CycleTime = TimeSpan.FromHours(3), ProductionTime = TimeSpan.FromHours(2.2),
            PausedTime = TimeSpan.FromMinutes(20), Counts = new(320, 300, 20, 5), Progress = 1, RatePerHour = 100, OnTime = false,
            CompletedBy = "board:maria", ChangeoverTime = TimeSpan.FromMinutes(25), Kpi = Kpi(oee: 0.58, fpy: 0.922, changeover: true),
        };
        yield return Event(machine, OrderChange.Completed, po2Done, po2Done.End!.Value);
        yield return Snapshot(machine, po2Done, po2Done.End!.Value);

        // PO-3: released at 12:00, due 13:00, running at a rate that finishes it at 15:00.
        var t3 = t.AddHours(6);
        var po3 = Record(machine, "PO-3", "bracket-a", "Bracket A", quantity: 1000, t3, due: t3.AddHours(1));
        yield return Started(machine, po3);
        for (var i = 1; i <= 3; i++)
        {
            var at = t3.AddMinutes(20 * i);
            yield return Snapshot(machine, po3 with
            {
                CycleTime = at - t3, ProductionTime = at - t3, Counts = new(110 * i, 105 * i, 5 * i, 0), Progress = 105 * i / 1000.0,
                RatePerHour = 315, ProjectedCompletion = t3.AddHours(3), OnTime = false,
            }, at);
        }

        // LO-1: the line's order, its figures the output machine's.
        var lo1 = Record(machine, "LO-1", "bracket-b", "Bracket B", quantity: 2000, t3, due: t3.AddHours(8)) with { LineScope = true };
        yield return OutgoingMessage.Json(line.Events, MessageKind.Event,
            EnginePayloads.Event(new OrderEvent(0, machine.MachineId, t3, OrderChange.Started, lo1), t3)!, PayloadJsonContext.Default.EventPayload);
        yield return OutgoingMessage.Json(line.Order, MessageKind.Snapshot,
            EnginePayloads.Order(lo1 with { Counts = new(400, 390, 10, 0), Progress = 0.195, RatePerHour = 390, ProjectedCompletion = t3.AddHours(5.1), OnTime = true }, t3.AddHours(1)),
            PayloadJsonContext.Default.OrderPayload);
    }

    private static OrderRecord Record(MachineTopics m, string id, string product, string name, long quantity, DateTimeOffset start, DateTimeOffset due) => new()
    {
        Site = m.Site,
        Area = m.Area,
        Line = m.Line,
        LineScope = false,
        MachineId = m.MachineId,
        OrderId = id,
        ProductId = product,
        ProductName = name,
        Quantity = quantity,
        Due = due,
        Status = OrderStatus.Running,
        Start = start,
        Revision = 0,
        CycleTime = TimeSpan.Zero,
        ProductionTime = TimeSpan.Zero,
        PausedTime = TimeSpan.Zero,
        Counts = ProductionCounts.Zero,
        Kpi = new KpiSet(),
        Progress = 0,
        StartedBy = "mqtt:mes",
    };

    private static KpiSet Kpi(double oee, double fpy, bool changeover) => new()
    {
        Oee = oee,
        Availability = 0.85,
        Performance = oee / 0.85 / 0.97,
        Quality = 0.97,
        FirstPassYield = fpy,
        PlannedProductionTime = TimeSpan.FromHours(2.8),
        RunTime = TimeSpan.FromHours(2.5),
        Downtime = TimeSpan.FromMinutes(18),
        DowntimeByReason = [new Core.Kpi.ReasonDowntime(changeover ? "tool-change" : "jam", changeover ? "Tool change" : "Jam", Core.Model.StateCategory.Down, TimeSpan.FromMinutes(18), 2)],
    };

    private static OutgoingMessage Started(MachineTopics m, OrderRecord record) => Event(m, OrderChange.Started, record, record.Start);

    private static OutgoingMessage Event(MachineTopics m, OrderChange change, OrderRecord record, DateTimeOffset at) =>
        OutgoingMessage.Json(m.Events, MessageKind.Event,
            EnginePayloads.Event(new OrderEvent(0, m.MachineId, at, change, record), at)!, PayloadJsonContext.Default.EventPayload);

    private static OutgoingMessage Snapshot(MachineTopics m, OrderRecord record, DateTimeOffset at) =>
        OutgoingMessage.Json(m.Order, MessageKind.Snapshot, EnginePayloads.Order(record, at), PayloadJsonContext.Default.OrderPayload);
}
