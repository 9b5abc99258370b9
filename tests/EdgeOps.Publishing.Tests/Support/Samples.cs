using EdgeOps.Contract;
using EdgeOps.Publishing.Mqtt;
using EdgeOps.Contract.Payloads;
using EdgeOps.Publishing.Outbox;

namespace EdgeOps.Publishing.Tests.Support;

/// <summary>One realistic payload of every kind, as the engine mapping produces them.</summary>
public static class Samples
{
    public static readonly DateTimeOffset Now = new(2026, 11, 26, 7, 30, 0, 123, TimeSpan.Zero);

    public static MachineTopics Machine(string machine = "filler") => MqttTopics.Machine("plant1", "packaging", "line1", machine);

    public static OutgoingMessage Event(MachineTopics m, int i) => OutgoingMessage.Json(m.Events, MessageKind.Event, new EventPayload
    {
        Ts = DateTimeOffset.UtcNow,
        SourceTs = DateTimeOffset.UtcNow.AddMilliseconds(-5),
        Machine = m.MachineId,
        Type = "stopStarted",
        Severity = "warning",
        Message = $"stop {i}",
        At = DateTimeOffset.UtcNow,
        State = "down",
        PreviousState = "running",
        ReasonCode = "unknown",
        ReasonLabel = "Unknown",
        Details = new Dictionary<string, string> { ["n"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture) },
    }, PayloadJsonContext.Default.EventPayload);

    /// <summary>The engine's reports about state inputs, through the real mapping (an invalid one with no number at all).</summary>
    public static IEnumerable<OutgoingMessage> StateInputEvents(MachineTopics m)
    {
        Core.Engine.Events.EngineEvent[] events =
        [
            new Core.Engine.Events.UnmappedStateCodeEvent(0, m.MachineId, Now, "state", Core.Signals.SignalRole.StateCode, 7),
            new Core.Engine.Events.InvalidStateInputEvent(0, m.MachineId, Now, "state", null, "not a state code"),
            new Core.Engine.Events.InvalidStateInputEvent(0, m.MachineId, Now, "status", 65537, "does not fit the status word's 16 bits"),
        ];
        foreach (var e in events)
        {
            yield return OutgoingMessage.Json(m.Events, MessageKind.Event, Mqtt.Engine.EnginePayloads.Event(e, DateTimeOffset.UtcNow)!, PayloadJsonContext.Default.EventPayload);
        }
    }

    public static OutgoingMessage Kpi(MachineTopics m, double oee) => OutgoingMessage.Json(m.Kpi, MessageKind.Snapshot, new KpiPayload
    {
        Ts = DateTimeOffset.UtcNow,
        Machine = m.MachineId,
        ShiftStart = Now.AddHours(-1.5),
        Coverage = 1,
        Oee = oee,
        Availability = 0.9,
        Performance = 0.95,
        Quality = 0.99,
        FirstPassYield = 0.98,
        PlannedProductionTimeS = 5400,
        RunTimeS = 4860,
        Throughput = new ThroughputFigures(1200, 1150, 1100.5),
        ActualCycleTimeS = 3.1,
        IdealCycleTimeS = 3,
        Downtime = new DowntimeFigures
        {
            TotalS = 540,
            StopCount = 3,
            MicroStopCount = 7,
            MicroStopS = 210,
            CurrentStopS = null,
            ByReason = [new ReasonDowntime("jam", "Jam at infeed", 300, 2), new ReasonDowntime("unknown", "Unknown", 240, 1)],
        },
        MtbfS = 1620,
        MttrS = 180,
        Capacity = new CapacityFigures(1800, 1700, 1650, 0.9),
    }, PayloadJsonContext.Default.KpiPayload);

    public static IEnumerable<OutgoingMessage> OneOfEach(MachineTopics m)
    {
        yield return OutgoingMessage.Json(m.State, MessageKind.Snapshot, new StatePayload
        {
            Ts = DateTimeOffset.UtcNow, SourceTs = Now, Machine = m.MachineId, State = PayloadNames.State(Core.Model.StateCategory.Down),
            ReasonCode = "jam", ReasonLabel = "Jam at infeed", Since = Now,
        }, PayloadJsonContext.Default.StatePayload);
        yield return OutgoingMessage.Json(m.Counts, MessageKind.Snapshot, new CountsPayload
        {
            Ts = DateTimeOffset.UtcNow, Machine = m.MachineId, ShiftStart = Now.AddHours(-1),
            Shift = new CountSet(1000, 990, 10, 3), Lifetime = new CountSet(1_000_000, 990_000, 10_000),
        }, PayloadJsonContext.Default.CountsPayload);
        yield return Kpi(m, 0.846);
        yield return OutgoingMessage.Json(m.Condition("vibration"), MessageKind.Snapshot, new ConditionPayload
        {
            Ts = DateTimeOffset.UtcNow, SourceTs = Now, Machine = m.MachineId, Signal = "vibration", Unit = "mm/s", WindowS = 10, Samples = 1000,
            Mean = 0.1, Rms = 2.3, Peak = 6.1, PeakToPeak = 11.9, CrestFactor = 2.65, Kurtosis = 3.2, VelocityRmsMmS = 2.3, Zone = "B",
            AnomalyScore = 0.7, TrendPerHour = 0.01,
        }, PayloadJsonContext.Default.ConditionPayload);
        yield return Event(m, 1);
        foreach (var stateInput in StateInputEvents(m))
        {
            yield return stateInput;
        }

        foreach (var condition in ConditionSamples.All(m))
        {
            yield return condition;
        }

        yield return OutgoingMessage.Json(m.Shift, MessageKind.Snapshot, new ShiftPayload
        {
            Ts = DateTimeOffset.UtcNow, Machine = m.MachineId, Name = "early", Start = Now.AddHours(-8), End = Now, Revision = 1,
            Counts = new CountSet(9000, 8900, 100), Oee = 0.8, Availability = 0.9, Performance = 0.93, Quality = 0.989,
            PlannedProductionTimeS = 27000, RunTimeS = 24300, DowntimeS = 2700, StopCount = 12, Coverage = 0.99,
        }, PayloadJsonContext.Default.ShiftPayload);
    }

    /// <summary>
    /// The order contract (issue 17): the retained order topic of a machine and of a line, an orderCompleted event with
    /// its order object, and a shift with per-product counts. Kept apart from <see cref="OneOfEach"/> until the
    /// historian maps orders.
    /// </summary>
    public static IEnumerable<OutgoingMessage> Orders(MachineTopics m)
    {
        var running = Order("WO-4711", "running") with
        {
            Quantity = 5000, Due = Now.AddHours(6), ProjectedCompletion = Now.AddHours(5), OnTime = true, Progress = 0.18,
            ChangeoverTimeS = 840, FirstGoodAt = Now.AddHours(-1),
        };
        yield return OutgoingMessage.Json(m.Order, MessageKind.Snapshot, new OrderPayload { Ts = DateTimeOffset.UtcNow, Machine = m.MachineId, Order = running },
            PayloadJsonContext.Default.OrderPayload);
        var line = MqttTopics.LineScope(m.Site, m.Area, m.Line);
        yield return OutgoingMessage.Json(line.Order, MessageKind.Snapshot, new OrderPayload
        {
            Ts = DateTimeOffset.UtcNow, Machine = MqttTopics.LineLevel, Order = Order("L-17", "paused") with { Scope = "line" },
        }, PayloadJsonContext.Default.OrderPayload);
        yield return OutgoingMessage.Json(m.Events, MessageKind.Event, new EventPayload
        {
            Ts = DateTimeOffset.UtcNow, SourceTs = Now, Machine = m.MachineId, Type = "orderCompleted", Severity = "info",
            Message = "order WO-4710 completed", At = Now,
            Order = Order("WO-4710", "completed") with { End = Now, Revision = 0, OnTime = false, CompletedBy = "mqtt:anna" },
        }, PayloadJsonContext.Default.EventPayload);
        yield return OutgoingMessage.Json(m.Shift, MessageKind.Snapshot, new ShiftPayload
        {
            Ts = DateTimeOffset.UtcNow, Machine = m.MachineId, Name = "early", Start = Now.AddHours(-8), End = Now, Revision = 0,
            Counts = new CountSet(9000, 8900, 100), PlannedProductionTimeS = 27000, RunTimeS = 24300, DowntimeS = 2700, StopCount = 12, Coverage = 0.99,
            Products = [new ProductCountSet("bracket-a", new CountSet(5000, 4950, 50)), new ProductCountSet("bracket-b", new CountSet(4000, 3950, 50, 7))],
        }, PayloadJsonContext.Default.ShiftPayload);
    }

    private static OrderDetails Order(string id, string status) => new()
    {
        OrderId = id, Scope = "machine", Machine = "filler", Product = "bracket-a", ProductName = "Bracket A", Status = status,
        Start = Now.AddHours(-2), Revision = 0, CycleTimeS = 7200, ProductionTimeS = 6100.5, PausedTimeS = 0,
        Counts = new CountSet(910, 900, 10, 4), FirstPassYield = 0.9846, Oee = 0.78, Availability = 0.88, Performance = 0.9, Quality = 0.989,
        PlannedProductionTimeS = 6900, DowntimeS = 799.5, DowntimeByReason = [new ReasonDowntime("jam", "Jam at infeed", 799.5, 3)],
        RatePerHour = 450, StartedBy = "signal:order",
    };
}
