using System.Globalization;
using EdgeOps.Core.Engine;
using EdgeOps.Core.Engine.Events;
using EdgeOps.Core.Kpi;
using EdgeOps.Core.Model;
using EdgeOps.Core.Orders;
using EdgeOps.Contract.Payloads;
using static EdgeOps.Contract.Payloads.PayloadFormat;

namespace EdgeOps.Publishing.Mqtt.Engine;

/// <summary>Maps the engine's snapshots and events to the wire payloads (docs/mqtt-contract.md). Pure: time comes in.</summary>
public static class EnginePayloads
{
    /// <summary>The retained state of a machine.</summary>
    public static StatePayload State(MachineSnapshot m, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(m);
        return new StatePayload
        {
            Ts = now,
            SourceTs = m.Timestamp,
            Machine = m.MachineId,
            State = PayloadNames.State(m.State),
            ReasonCode = m.ReasonCode,
            ReasonLabel = m.ReasonLabel,
            Since = m.StateSince,
            StopId = m.CurrentStopId,
        };
    }

    /// <summary>Shift and lifetime counts.</summary>
    public static CountsPayload Counts(MachineSnapshot m, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(m);
        return new CountsPayload
        {
            Ts = now,
            SourceTs = m.Timestamp,
            Machine = m.MachineId,
            ShiftStart = m.Shift?.Start,
            Shift = Counts(m.ShiftCounts),
            Lifetime = Counts(m.LifetimeCounts),
        };
    }

    /// <summary>The KPI snapshot.</summary>
    public static KpiPayload Kpi(MachineSnapshot m, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(m);
        var k = m.Kpi;
        return new KpiPayload
        {
            Ts = now,
            SourceTs = m.Timestamp,
            Machine = m.MachineId,
            ShiftStart = m.Shift?.Start,
            Coverage = Round(k.Coverage),
            Stale = k.Stale,
            Oee = Round(k.Oee),
            Availability = Round(k.Availability),
            Performance = Round(k.Performance),
            Quality = Round(k.Quality),
            FirstPassYield = Round(k.FirstPassYield),
            PerformanceAboveOne = k.PerformanceFlagged,
            PlannedProductionTimeS = Seconds(k.PlannedProductionTime),
            RunTimeS = Seconds(k.RunTime),
            Throughput = new ThroughputFigures(Round(k.ThroughputPerHour1Min), Round(k.ThroughputPerHour15Min), Round(k.ThroughputPerHourShift)),
            ActualCycleTimeS = k.ActualCycleTime is { } actual ? Seconds(actual) : null,
            IdealCycleTimeS = Seconds(k.IdealCycleTime),
            Downtime = new DowntimeFigures
            {
                TotalS = Seconds(k.Downtime),
                StopCount = k.StopCount,
                MicroStopCount = k.MicroStopCount,
                MicroStopS = Seconds(k.MicroStopTime),
                CurrentStopS = m.CurrentStopStart is null ? null : Seconds(m.CurrentStopDuration),
                ByReason = k.DowntimeByReason
                    .OrderByDescending(r => r.Duration)
                    .Select(r => new Contract.Payloads.ReasonDowntime(r.ReasonCode, r.Label, Seconds(r.Duration), r.Count))
                    .ToArray(),
            },
            MtbfS = k.Mtbf is { } mtbf ? Seconds(mtbf) : null,
            MttrS = k.Mttr is { } mttr ? Seconds(mttr) : null,
            Capacity = Capacity(m.Capacity),
        };
    }

    /// <summary>The closed (or revised) shift summary.</summary>
    public static ShiftPayload Shift(ShiftRecord record, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(record);
        var k = record.Kpi;
        return new ShiftPayload
        {
            Ts = now,
            Machine = record.MachineId,
            Name = record.ShiftName,
            Start = record.Start,
            End = record.End,
            Revision = record.Revision,
            Counts = Counts(record.Counts),
            Oee = Round(k.Oee),
            Availability = Round(k.Availability),
            Performance = Round(k.Performance),
            Quality = Round(k.Quality),
            PlannedProductionTimeS = Seconds(k.PlannedProductionTime),
            RunTimeS = Seconds(k.RunTime),
            DowntimeS = Seconds(k.Downtime),
            StopCount = k.StopCount,
            Coverage = Round(k.Coverage),
            Products = record.Products.Count == 0 ? null : [.. record.Products.Select(p => new ProductCountSet(p.ProductId, Counts(p.Counts)))],
        };
    }

    /// <summary>
    /// The retained order payload: on the machine's topics, or on the line's (<see cref="Contract.MqttTopics.LineLevel"/>)
    /// for a line order.
    /// </summary>
    public static OrderPayload Order(OrderRecord record, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new OrderPayload
        {
            Ts = now,
            Machine = record.LineScope ? Contract.MqttTopics.LineLevel : record.MachineId,
            Order = OrderDetails(record),
        };
    }

    /// <summary>The order object of the order topic and the order events.</summary>
    public static OrderDetails OrderDetails(OrderRecord r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var k = r.Kpi;
        return new OrderDetails
        {
            OrderId = r.OrderId,
            Scope = r.LineScope ? "line" : "machine",
            Machine = r.MachineId,
            Product = r.ProductId,
            ProductName = r.ProductName,
            Quantity = r.Quantity,
            Due = r.Due,
            Status = PayloadNames.OrderStatus(r.Status),
            Start = r.Start,
            End = r.End,
            Revision = r.Revision,
            CycleTimeS = Seconds(r.CycleTime),
            ProductionTimeS = Seconds(r.ProductionTime),
            PausedTimeS = Seconds(r.PausedTime),
            ChangeoverTimeS = r.ChangeoverTime is { } c ? Seconds(c) : null,
            FirstGoodAt = r.FirstGoodAt,
            Counts = Counts(r.Counts),
            FirstPassYield = Round(k.FirstPassYield),
            Oee = Round(k.Oee),
            Availability = Round(k.Availability),
            Performance = Round(k.Performance),
            Quality = Round(k.Quality),
            PlannedProductionTimeS = Seconds(k.PlannedProductionTime),
            DowntimeS = Seconds(k.Downtime),
            DowntimeByReason = [.. k.DowntimeByReason.Select(x => new Contract.Payloads.ReasonDowntime(x.ReasonCode, x.Label, Seconds(x.Duration), x.Count))],
            Progress = Round(r.Progress),
            RatePerHour = Round(r.RatePerHour),
            ProjectedCompletion = r.ProjectedCompletion,
            OnTime = r.OnTime,
            StartedBy = r.StartedBy,
            CompletedBy = r.CompletedBy,
        };
    }

    /// <summary>An engine event as an <c>events</c> payload; null for events that are not published (late data is logged only).</summary>
    public static EventPayload? Event(EngineEvent engineEvent, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(engineEvent);
        var payload = new EventPayload
        {
            Ts = now,
            SourceTs = engineEvent.Timestamp,
            Machine = engineEvent.MachineId,
            At = engineEvent.Timestamp,
            Type = engineEvent.Kind,
            Severity = "info",
            Message = engineEvent.Kind,
        };
        return engineEvent switch
        {
            StateChangedEvent e => payload with
            {
                Type = e.To is StateCategory.Running ? "stateChanged" : e.From is StateCategory.Running ? "stopStarted" : "stateChanged",
                Severity = e.To is StateCategory.Down ? "warning" : "info",
                Message = $"{PayloadNames.State(e.From)} -> {PayloadNames.State(e.To)} ({e.ReasonLabel})",
                State = PayloadNames.State(e.To),
                PreviousState = PayloadNames.State(e.From),
                ReasonCode = e.ReasonCode,
                ReasonLabel = e.ReasonLabel,
                Details = e.StopId is { } stop ? Details(("stopId", Text(stop)), ("previousReasonCode", e.FromReasonCode)) : null,
            },
            StopEndedEvent e => payload with
            {
                Type = "stopEnded",
                Message = $"{(e.IsMicroStop ? "micro-stop" : "stop")} ended after {e.Duration.TotalSeconds:0} s ({e.ReasonLabel})",
                State = PayloadNames.State(e.Category),
                ReasonCode = e.ReasonCode,
                ReasonLabel = e.ReasonLabel,
                DurationS = Seconds(e.Duration),
                Details = Details(("stopId", Text(e.StopId)), ("stopStart", Time(e.Start)),
                    ("microStop", e.IsMicroStop ? "true" : "false")),
            },
            ReasonAssignedEvent e => payload with
            {
                Type = "reasonAssigned",
                Message = $"stop {e.StopId} reason {e.PreviousReasonCode} -> {e.ReasonCode} by {e.Who}",
                ReasonCode = e.ReasonCode,
                ReasonLabel = e.ReasonLabel,
                Details = Details(("stopId", Text(e.StopId)), ("stopStart", Time(e.StopStart)),
                    ("previousReasonCode", e.PreviousReasonCode), ("who", e.Who)),
            },
            CounterAnomalyEvent e => payload with
            {
                Type = "counterAnomaly",
                Severity = e.Anomaly is CounterAnomalyKind.QuarantinedJump or CounterAnomalyKind.InvalidValue ? "warning" : "info",
                Message = $"{e.SignalName}: {e.Anomaly} ({e.PreviousValue} -> {e.Value}, counted {e.Counted})",
                Signal = e.SignalName,
                Value = e.Value,
                Details = Details(("anomaly", e.Anomaly.ToString()), ("previousValue", Text(e.PreviousValue)), ("counted", Text(e.Counted))),
            },
            UnmappedStateCodeEvent e => payload with
            {
                Type = "unmappedStateCode",
                Severity = "warning",
                Message = $"{e.SignalName} sent {e.Code}, which the line file does not map (reported once per code)",
                Signal = e.SignalName,
                Value = e.Code,
                Details = Details(("code", Text(e.Code)), ("role", RoleName(e.Role))),
            },
            InvalidStateInputEvent e => payload with
            {
                Type = "invalidStateInput",
                Severity = "warning",
                Message = $"{e.SignalName}: {ValueText(e.Value)} {e.Problem}",
                Signal = e.SignalName,
                Value = e.Value,
                Details = Details(("value", ValueText(e.Value)), ("problem", e.Problem)),
            },
            ShiftClosedEvent e => payload with
            {
                Type = "shiftClosed",
                Message = $"shift {e.Record.ShiftName} {e.Record.LocalDate:yyyy-MM-dd} closed (revision {e.Record.Revision})",
                Details = Details(("shiftId", e.Record.ShiftId), ("revision", Text(e.Record.Revision))),
            },
            ShiftRevisedEvent e => payload with
            {
                Type = "shiftClosed",
                Message = $"shift {e.Record.ShiftName} {e.Record.LocalDate:yyyy-MM-dd} revised (revision {e.Record.Revision})",
                Details = Details(("shiftId", e.Record.ShiftId), ("revision", Text(e.Record.Revision))),
            },
            ProductChangedEvent e => payload with
            {
                Message = $"product {e.PreviousProductId ?? "(none)"} -> {e.ProductId ?? "(none)"} (ideal {Readable(e.IdealTimePerUnit.TotalSeconds)} s per unit)",
                Details = Details(("product", e.ProductId ?? string.Empty), ("previousProduct", e.PreviousProductId ?? string.Empty),
                    ("idealTimePerUnitS", Text(Seconds(e.IdealTimePerUnit)))),
            },
            OrderEvent e => payload with
            {
                Machine = e.Record.LineScope ? Contract.MqttTopics.LineLevel : e.MachineId,
                Message = $"order {e.Record.OrderId} {PayloadNames.OrderStatus(e.Record.Status)}"
                    + (e.Change == OrderChange.Revised ? $" (revision {e.Record.Revision})" : string.Empty),
                Order = OrderDetails(e.Record),
            },
            LateDataDroppedEvent => null,
            _ => payload,
        };
    }

    private static string RoleName(EdgeOps.Core.Signals.SignalRole role) => role switch
    {
        EdgeOps.Core.Signals.SignalRole.StateCode => "stateCode",
        EdgeOps.Core.Signals.SignalRole.UnitMode => "unitMode",
        EdgeOps.Core.Signals.SignalRole.StopReason => "stopReason",
        EdgeOps.Core.Signals.SignalRole.StatusWord => "statusWord",
        _ => role.ToString(),
    };

    private static CountSet Counts(ProductionCounts c) => new(c.Total, c.Good, c.Reject, c.Rework);

    private static CapacityFigures Capacity(CapacitySet c) =>
        new(Round(c.TheoreticalOutputShift), Round(c.TargetShift), Round(c.ProjectedOutput), Round(c.Utilization));

    private static Dictionary<string, string> Details(params (string Key, string Value)[] pairs) =>
        pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    // A code read as NaN (a wrong-typed node) has no number to show.
    private static string ValueText(double? value) => value is { } v ? Text(v) : "not a number";
}
