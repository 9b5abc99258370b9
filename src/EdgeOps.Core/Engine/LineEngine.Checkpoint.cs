using EdgeOps.Core.Engine.Checkpoints;
using EdgeOps.Core.Engine.Machines;
using EdgeOps.Core.Model;
using EdgeOps.Core.Shifts;
using EdgeOps.Core.Signals;

namespace EdgeOps.Core.Engine;

/// <summary>Checkpoint and restore: the engine's durable state as plain records.</summary>
public sealed partial class LineEngine
{
    private EngineCheckpoint CheckpointCore()
    {
        foreach (var m in _machines)
        {
            Account(m, _now);
        }

        var orders = new List<OrderState>();
        foreach (var m in _machines)
        {
            foreach (var order in m.RecentOrders.Append(m.Order))
            {
                if (order is not null && !orders.Contains(order))
                {
                    orders.Add(order);
                }
            }
        }

        return new EngineCheckpoint
        {
            Line = _line.Line,
            CreatedAt = At(_now),
            Horizon = At(_horizonTicks),
            NextStopId = _nextStopId,
            CurrentPeriod = ToCheckpoint(_period),
            ClosedShifts = [.. _closed.Select(ToCheckpoint)],
            Machines = [.. _machines.Select(m => ToCheckpoint(m, orders))],
            Orders = [.. orders.Select(ToCheckpoint)],
        };
    }

    private OrderCheckpoint ToCheckpoint(OrderState o) => new()
    {
        OrderId = o.Id,
        Product = o.Product >= 0 ? _line.Products[o.Product].Id : null,
        Quantity = o.Quantity,
        Due = o.DueTicks is { } due ? At(due) : null,
        LineScope = o.LineScope,
        RecordMachine = _machines[o.RecordMachine].Id,
        Start = At(o.StartTicks),
        End = o.EndTicks == long.MaxValue ? null : At(o.EndTicks),
        Status = o.Status,
        PausedTicks = o.PausedTicks,
        PausedSince = At(o.PausedSince),
        PreviousEnd = o.PreviousEndTicks == long.MinValue ? null : At(o.PreviousEndTicks),
        FirstGood = o.FirstGoodTicks == long.MaxValue ? null : At(o.FirstGoodTicks),
        Segments = [.. o.Segments.Select(x => new OrderSegmentCheckpoint(At(x.From), x.To == long.MaxValue ? null : At(x.To)))],
        Revision = o.Revision,
        Dirty = o.Dirty,
        StartedBy = o.StartedBy,
        CompletedBy = o.CompletedBy,
        Machines = [.. _machines.Where(m => o.Accumulators[m.Index] is not null).Select(m => ToCheckpoint(m, o.Accumulators[m.Index]!))],
    };

    private PeriodCheckpoint ToCheckpoint(Period period) => new()
    {
        ShiftName = period.Shift?.Name,
        LocalDate = period.Shift?.LocalDate ?? default,
        Start = At(period.StartTicks),
        End = period.EndTicks == long.MaxValue ? DateTimeOffset.MaxValue : At(period.EndTicks),
        Breaks = period.Shift?.Breaks ?? [],
        Machines = [.. _machines.Select(m => ToCheckpoint(m, period.Accumulators[m.Index]))],
    };

    private AccumulatorCheckpoint ToCheckpoint(MachineState m, MachineAccumulator acc)
    {
        var reasons = new List<ReasonTimeCheckpoint>();
        for (var r = 0; r < acc.ReasonTicks.Length; r++)
        {
            if (acc.ReasonTicks[r] != 0 || acc.ReasonCount[r] != 0)
            {
                reasons.Add(new ReasonTimeCheckpoint(m.Reasons[r].Code, acc.ReasonTicks[r], acc.ReasonCount[r]));
            }
        }

        return new AccumulatorCheckpoint
        {
            MachineId = m.Id,
            RunTicks = acc.RunTicks,
            PlannedTicks = acc.PlannedTicks,
            OfflineTicks = acc.OfflineTicks,
            MicroStopTicks = acc.MicroTicks,
            MicroStopCount = acc.MicroCount,
            Total = acc.Total,
            Good = acc.Good,
            Reject = acc.Reject,
            Rework = acc.Rework,
            Reasons = reasons,
            Revision = acc.Revision,
            ThroughputPerHour1Min = acc.Throughput1Min,
            ThroughputPerHour15Min = acc.Throughput15Min,
            StaleAtClose = acc.StaleAtClose,
            IdealTotal = acc.IdealTotal,
            IdealGood = acc.IdealGood,
            IdealReject = acc.IdealReject,
            TheoreticalUnits = acc.TheoreticalUnits,
            TargetUnits = acc.TargetUnits,
            HasTarget = acc.HasTarget,
            Products = acc.ProductCounts is not { } raw ? [] : [.. Enumerable.Range(0, _line.Products.Count)
                .Where(p => raw[p * 4] != 0 || raw[(p * 4) + 1] != 0 || raw[(p * 4) + 2] != 0 || raw[(p * 4) + 3] != 0)
                .Select(p => new ProductCountCheckpoint(_line.Products[p].Id, raw[p * 4], raw[(p * 4) + 1], raw[(p * 4) + 2], raw[(p * 4) + 3]))],
        };
    }

    private MachineCheckpoint ToCheckpoint(MachineState m, List<OrderState> orders)
    {
        var counters = new List<CounterCheckpoint>();
        for (var h = 0; h < _slots.Length; h++)
        {
            ref var slot = ref _slots[h];
            if (slot.Machine == m.Index && slot.Totalizer)
            {
                counters.Add(new CounterCheckpoint(_catalog[h].Definition.Name, slot.HasBaseline, slot.LastRaw, At(slot.LastTicks)));
            }
        }

        return new MachineCheckpoint
        {
            MachineId = m.Id,
            State = m.State,
            ReasonCode = m.Reasons[m.Reason].Code,
            StateSince = At(m.StateSinceTicks),
            Running = m.Running,
            FaultCode = m.FaultCode,
            StateCode = m.HasStateCode ? m.StateCode : null,
            Starved = m.Starved,
            Blocked = m.Blocked,
            PlannedStopInput = m.PlannedInput,
            Changeover = m.Changeover,
            PlannedStopCommand = m.PlannedCommand,
            StatusWordFault = m.WordFault,
            UnitMode = m.HasUnitMode ? m.UnitMode : null,
            StopReason = m.StopReasonCode,
            StopReasonConsumed = m.StopReasonConsumed,
            ReportedCodes = [.. m.ReportedCodes.Select(c => new ReportedCodeCheckpoint(_catalog[c.Handle].Definition.Name, c.Code))],
            LastCountAt = m.LastCountTicks == long.MinValue ? null : At(m.LastCountTicks),
            LifetimeTotal = m.LifeTotal,
            LifetimeGood = m.LifeGood,
            LifetimeReject = m.LifeReject,
            LifetimeRework = m.LifeRework,
            Counters = counters,
            OpenStop = m.Stop is null ? null : ToCheckpoint(m, m.Stop),
            RecentStops = [.. m.RecentStops.Select(s => ToCheckpoint(m, s))],
            Product = m.Product >= 0 ? _line.Products[m.Product].Id : null,
            ProductHistory = [.. m.ProductHistory.Select(p => new ProductSpanCheckpoint(
                p.FromTicks == long.MinValue ? null : At(p.FromTicks), p.Product >= 0 ? _line.Products[p.Product].Id : null, p.IdealTicks))],
            Order = m.Order is null ? null : orders.IndexOf(m.Order),
            RecentOrders = [.. m.RecentOrders.Select(o => orders.IndexOf(o))],
            LastOrderEnd = m.LastOrderEndTicks == long.MinValue ? null : At(m.LastOrderEndTicks),
        };
    }

    private static StopCheckpoint ToCheckpoint(MachineState m, StopRecord stop) => new()
    {
        Id = stop.Id,
        Start = At(stop.StartTicks),
        End = stop.IsOpen ? null : At(stop.EndTicks),
        ReasonCode = m.Reasons[stop.Reason].Code,
        Assigned = stop.Assigned,
        PastThreshold = stop.PastThreshold,
        OpenTicks = stop.OpenTicks,
        OrderOpenTicks = stop.OrderOpenTicks,
        Portions = [.. stop.Portions.Select(p => new StopPortionCheckpoint(At(p.Period.StartTicks), p.Ticks, p.Micro))],
    };

    private static LineEngine RestoreCore(SignalCatalog catalog, EngineCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(checkpoint);
        if (checkpoint.SchemaVersion != EngineCheckpoint.CurrentSchemaVersion)
        {
            throw new ArgumentException(
                $"Checkpoint schema version {checkpoint.SchemaVersion} is not supported (expected {EngineCheckpoint.CurrentSchemaVersion}).",
                nameof(checkpoint));
        }

        if (!string.Equals(checkpoint.Line, catalog.Line.Line, StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"Checkpoint is for line '{checkpoint.Line}', not '{catalog.Line.Line}'.", nameof(checkpoint));
        }

        var created = checkpoint.CreatedAt.UtcTicks;
        var engine = new LineEngine(catalog, created) { _nextStopId = checkpoint.NextStopId };
        var periods = new Dictionary<long, Period>();
        engine._period = engine.FromCheckpoint(checkpoint.CurrentPeriod);
        periods[engine._period.StartTicks] = engine._period;
        foreach (var closed in checkpoint.ClosedShifts)
        {
            var period = engine.FromCheckpoint(closed);
            period.Closed = true;
            engine._closed.Add(period);
            periods[period.StartTicks] = period;
        }

        engine._horizonTicks = checkpoint.Horizon.UtcTicks;
        var orders = checkpoint.Orders.Select(engine.FromCheckpoint).ToList();
        foreach (var saved in checkpoint.Machines)
        {
            if (engine._machineIndex.TryGetValue(saved.MachineId, out var index))
            {
                engine.Restore(engine._machines[index], saved, periods, created);
                engine.RestoreProductsAndOrders(engine._machines[index], saved, orders);
            }
        }

        engine._inBreak = engine._period.InBreak(created);
        foreach (var m in engine._machines)
        {
            // Nothing is known after the checkpoint: every machine is Offline from its instant until fresh data.
            engine.Reevaluate(m, created);
        }

        engine._nextDeadline = engine.ComputeNextDeadline();
        return engine;
    }

    private Period FromCheckpoint(PeriodCheckpoint saved)
    {
        var shift = saved.ShiftName is null
            ? null
            : new ShiftOccurrence(saved.ShiftName, saved.LocalDate, saved.Start, saved.End, saved.Breaks);
        var accumulators = new MachineAccumulator[_machines.Length];
        for (var i = 0; i < accumulators.Length; i++)
        {
            var m = _machines[i];
            var acc = new MachineAccumulator(m.Reasons.Count);
            if (saved.Machines.FirstOrDefault(a => a.MachineId == m.Id) is { } s)
            {
                Fill(acc, m, s);
            }

            accumulators[i] = acc;
        }

        var end = saved.End == DateTimeOffset.MaxValue ? long.MaxValue : saved.End.UtcTicks;
        return new Period(shift, saved.Start.UtcTicks, end, accumulators);
    }

    private void Fill(MachineAccumulator acc, MachineState m, AccumulatorCheckpoint s)
    {
        acc.RunTicks = s.RunTicks;
        acc.PlannedTicks = s.PlannedTicks;
        acc.OfflineTicks = s.OfflineTicks;
        acc.MicroTicks = s.MicroStopTicks;
        acc.MicroCount = s.MicroStopCount;
        acc.Total = s.Total;
        acc.Good = s.Good;
        acc.Reject = s.Reject;
        acc.Rework = s.Rework;
        acc.Revision = s.Revision;
        acc.Throughput1Min = s.ThroughputPerHour1Min;
        acc.Throughput15Min = s.ThroughputPerHour15Min;
        acc.StaleAtClose = s.StaleAtClose;
        foreach (var reason in s.Reasons)
        {
            var r = m.Reasons.TryFind(reason.ReasonCode, out var found) ? found : ReasonTable.Unknown;
            acc.ReasonTicks[r] += reason.Ticks;
            acc.ReasonCount[r] += reason.Count;
        }

        // A checkpoint from before products: every unit at the machine's own ideal time, as the engine counted then.
        acc.IdealTotal = s.IdealTotal ?? s.Total * m.DefaultIdealTicks;
        acc.IdealGood = s.IdealGood ?? s.Good * m.DefaultIdealTicks;
        acc.IdealReject = s.IdealReject ?? s.Reject * m.DefaultIdealTicks;
        var downtime = acc.ReasonTicks.Sum();
        acc.TheoreticalUnits = s.TheoreticalUnits ?? (double)(s.RunTicks + s.MicroStopTicks + downtime) / m.DefaultIdealTicks;
        acc.TargetUnits = s.TheoreticalUnits is null && m.Definition.TargetPerHour is { } target
            ? target * (s.RunTicks + s.MicroStopTicks + downtime) / TimeSpan.TicksPerHour
            : s.TargetUnits;
        acc.HasTarget = s.HasTarget || (s.TheoreticalUnits is null && m.Definition.TargetPerHour is not null);
        foreach (var product in s.Products)
        {
            if (TryFindProduct(product.Product, out var p, out _))
            {
                acc.ProductCounts ??= new long[_line.Products.Count * 4];
                acc.ProductCounts[p * 4] = product.Total;
                acc.ProductCounts[(p * 4) + 1] = product.Good;
                acc.ProductCounts[(p * 4) + 2] = product.Reject;
                acc.ProductCounts[(p * 4) + 3] = product.Rework;
            }
        }
    }

    private OrderState FromCheckpoint(OrderCheckpoint saved)
    {
        var record = _machineIndex.TryGetValue(saved.RecordMachine, out var r) ? r : _outputMachine;
        var accumulators = new MachineAccumulator?[_machines.Length];
        foreach (var s in saved.Machines)
        {
            if (_machineIndex.TryGetValue(s.MachineId, out var i))
            {
                var acc = new MachineAccumulator(_machines[i].Reasons.Count);
                Fill(acc, _machines[i], s);
                accumulators[i] = acc;
            }
        }

        var product = saved.Product is { } id && TryFindProduct(id, out var p, out _) ? p : -1;
        var order = new OrderState(saved.OrderId, product, saved.Quantity, saved.Due?.UtcTicks, saved.LineScope, record,
            saved.Start.UtcTicks, accumulators)
        {
            EndTicks = saved.End?.UtcTicks ?? long.MaxValue,
            Status = saved.Status,
            PausedTicks = saved.PausedTicks,
            PausedSince = saved.PausedSince.UtcTicks,
            PreviousEndTicks = saved.PreviousEnd?.UtcTicks ?? long.MinValue,
            FirstGoodTicks = saved.FirstGood?.UtcTicks ?? long.MaxValue,
            Revision = saved.Revision,
            Dirty = saved.Dirty,
            StartedBy = saved.StartedBy,
            CompletedBy = saved.CompletedBy,
        };
        if (saved.Segments.Count > 0)
        {
            order.Segments.Clear();
            order.Segments.AddRange(saved.Segments.Select(x => (x.From.UtcTicks, x.To?.UtcTicks ?? long.MaxValue)));
        }

        return order;
    }

    private void RestoreProductsAndOrders(MachineState m, MachineCheckpoint saved, List<OrderState> orders)
    {
        if (saved.ProductHistory.Count > 0)
        {
            m.ProductHistory.Clear();
            foreach (var span in saved.ProductHistory)
            {
                var p = span.Product is { } id && TryFindProduct(id, out var found, out _) ? found : -1;
                m.ProductHistory.Add(new ProductSpan(span.From?.UtcTicks ?? long.MinValue, p, span.IdealTicks));
            }
        }

        m.Product = saved.Product is { } product && TryFindProduct(product, out var active, out _) ? active : -1;
        var definition = m.Product >= 0 ? _line.Products[m.Product] : null;
        m.IdealTicks = definition?.IdealTimePerUnit(m.Definition).Ticks ?? m.DefaultIdealTicks;
        m.TargetPerHour = definition?.TargetPerHour ?? m.Definition.TargetPerHour;
        m.Order = saved.Order is { } index && index >= 0 && index < orders.Count ? orders[index] : null;
        foreach (var recent in saved.RecentOrders)
        {
            if (recent >= 0 && recent < orders.Count)
            {
                m.RecentOrders.Add(orders[recent]);
            }
        }

        m.LastOrderEndTicks = saved.LastOrderEnd?.UtcTicks ?? long.MinValue;
    }

    private void Restore(MachineState m, MachineCheckpoint saved, Dictionary<long, Period> periods, long created)
    {
        m.Running = saved.Running;
        m.FaultCode = saved.FaultCode;
        m.FaultReason = m.FaultCodeReasons.TryGetValue(saved.FaultCode, out var fault) ? fault : ReasonTable.Fault;
        if (saved.StateCode is { } code)
        {
            m.HasStateCode = true;
            m.StateCode = code;
            m.StateCodeReason = m.StateCodeReasons.TryGetValue(code, out var r) ? r : -1;
        }

        m.Starved = saved.Starved;
        m.Blocked = saved.Blocked;
        m.PlannedInput = saved.PlannedStopInput;
        m.Changeover = saved.Changeover;
        m.PlannedCommand = saved.PlannedStopCommand;
        m.WordFault = saved.StatusWordFault;
        if (saved.UnitMode is { } mode)
        {
            m.HasUnitMode = true;
            m.UnitMode = mode;
            m.UnitModeReason = m.UnitModeReasons.TryGetValue(mode, out var planned) ? planned : -1;
        }

        m.StopReasonCode = saved.StopReason;
        m.StopReasonIndex = saved.StopReason != 0 && m.FaultCodeReasons.TryGetValue(saved.StopReason, out var named) ? named : -1;
        m.StopReasonConsumed = saved.StopReasonConsumed;
        foreach (var reported in saved.ReportedCodes)
        {
            if (_catalog.TryResolve(m.Id, reported.SignalName, out var signal))
            {
                m.ReportedCodes.Add((signal, reported.Code));
            }
        }
        m.LastCountTicks = saved.LastCountAt?.UtcTicks ?? long.MinValue;
        m.LifeTotal = saved.LifetimeTotal;
        m.LifeGood = saved.LifetimeGood;
        m.LifeReject = saved.LifetimeReject;
        m.LifeRework = saved.LifetimeRework;
        m.State = saved.State;
        m.Reason = m.Reasons.TryFind(saved.ReasonCode, out var reason) ? reason : ReasonTable.Unknown;
        m.StateSinceTicks = saved.StateSince.UtcTicks;
        m.AccountedUntil = created;
        foreach (var counter in saved.Counters)
        {
            if (_catalog.TryResolve(m.Id, counter.SignalName, out var handle) && _slots[handle].Totalizer)
            {
                ref var slot = ref _slots[handle];
                slot.HasBaseline = counter.HasBaseline;
                slot.LastRaw = counter.LastRaw;
                slot.LastTicks = counter.LastTimestamp.UtcTicks;
            }
        }

        m.Stop = saved.OpenStop is null ? null : FromCheckpoint(m, saved.OpenStop, periods);
        if (m.Stop is null && m.State is StateCategory.Down or StateCategory.Changeover or StateCategory.Idle)
        {
            m.State = StateCategory.Offline; // inconsistent checkpoint: do not invent a stop
            m.Reason = ReasonTable.Offline;
        }

        foreach (var stop in saved.RecentStops)
        {
            m.RecentStops.Add(FromCheckpoint(m, stop, periods));
        }
    }

    private static StopRecord FromCheckpoint(MachineState m, StopCheckpoint saved, Dictionary<long, Period> periods)
    {
        var reason = m.Reasons.TryFind(saved.ReasonCode, out var r) ? r : ReasonTable.Unknown;
        var stop = new StopRecord(saved.Id, saved.Start.UtcTicks, reason)
        {
            EndTicks = saved.End?.UtcTicks ?? long.MaxValue,
            OpenTicks = saved.OpenTicks,
            OrderOpenTicks = saved.OrderOpenTicks,
            Assigned = saved.Assigned,
            PastThreshold = saved.PastThreshold,
        };
        foreach (var portion in saved.Portions)
        {
            if (periods.TryGetValue(portion.PeriodStart.UtcTicks, out var period))
            {
                stop.Portions.Add(new StopPortion(period, portion.Ticks, portion.Micro));
            }
        }

        return stop;
    }
}
