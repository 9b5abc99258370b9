using EdgeOps.Core.Engine.Events;
using EdgeOps.Core.Engine.Machines;
using EdgeOps.Core.Kpi;
using EdgeOps.Core.Model;
using EdgeOps.Core.Orders;
using EdgeOps.Core.Signals;

namespace EdgeOps.Core.Engine;

/// <summary>
/// Where products and orders meet the accounting: ideal-time-weighted counts, per-product counts, the running order's
/// own time and counts, late counts into completed orders, and order records.
/// </summary>
public sealed partial class LineEngine
{
    /// <summary>The ideal time per unit and product in force at <paramref name="t"/> (a late count takes its own instant's).</summary>
    private static ProductSpan SpanAt(MachineState m, long t)
    {
        var history = m.ProductHistory;
        for (var i = history.Count - 1; i >= 0; i--)
        {
            if (t >= history[i].FromTicks)
            {
                return history[i];
            }
        }

        return history.Count > 0 ? history[0] with { FromTicks = long.MinValue } : new ProductSpan(long.MinValue, m.Product, m.IdealTicks);
    }

    /// <summary>Adds counted units to an accumulator with the ideal time of their instant (and, for periods, their product).</summary>
    private void CountInto(MachineAccumulator acc, MachineState m, SignalRole role, long n, in ProductSpan span, bool perProduct)
    {
        AddTo(acc, role, n);
        var ideal = span.IdealTicks * n;
        switch (role)
        {
            case SignalRole.Total: acc.IdealTotal += ideal; break;
            case SignalRole.Good: acc.IdealGood += ideal; break;
            case SignalRole.Reject: acc.IdealReject += ideal; break;
            default: break;
        }

        if (perProduct && span.Product >= 0)
        {
            acc.ProductCounts ??= new long[_line.Products.Count * 4];
            var slot = (span.Product * 4) + role switch
            {
                SignalRole.Total => 0,
                SignalRole.Good => 1,
                SignalRole.Reject => 2,
                _ => 3,
            };
            acc.ProductCounts[slot] += n;
        }
    }

    /// <summary>Counts units into the order active on the machine at <paramref name="t"/> (a completed one is revised).</summary>
    private void CountOrder(MachineState m, SignalRole role, long n, long t, in ProductSpan span)
    {
        var order = OrderAt(m, t);
        if (order?.Accumulators[m.Index] is not { } acc)
        {
            return;
        }

        CountInto(acc, m, role, n, span, perProduct: false);
        if (m.Index != order.RecordMachine)
        {
            return;
        }

        var good = role == SignalRole.Good || (role == SignalRole.Total && !m.HasGood);
        if (good && t < order.FirstGoodTicks)
        {
            order.FirstGoodTicks = t;
        }

        if (order.Status == OrderStatus.Completed)
        {
            order.Dirty = true;
        }
    }

    private static OrderState? OrderAt(MachineState m, long t)
    {
        if (m.Order is { } current && current.ActiveAt(t))
        {
            return current;
        }

        for (var i = m.RecentOrders.Count - 1; i >= 0; i--)
        {
            if (m.RecentOrders[i].ActiveAt(t))
            {
                return m.RecentOrders[i];
            }
        }

        return null;
    }

    /// <summary>
    /// Theoretical output and target of the period at the ideal time and target in force, and the running order's
    /// share of <paramref name="d"/> ticks in the machine's current state (called from <see cref="Account"/> before the
    /// state changes).
    /// </summary>
    private void AccountProductAndOrder(MachineState m, long d)
    {
        var acc = _period.Accumulators[m.Index];
        if (m.State is not (StateCategory.PlannedStop or StateCategory.Offline))
        {
            acc.TheoreticalUnits += (double)d / m.IdealTicks;
            if (m.TargetPerHour is { } target)
            {
                acc.TargetUnits += target * d / TimeSpan.TicksPerHour;
                acc.HasTarget = true;
            }
        }

        if (m.Order is not { Status: OrderStatus.Running } order || order.Accumulators[m.Index] is not { } oa)
        {
            return;
        }

        // Outside every shift nothing is scheduled: unless the machine runs, the order's time there is planned stop.
        var offShift = !_period.IsShift;
        if (m.Stop is { } stop)
        {
            if (offShift)
            {
                oa.PlannedTicks += d;
            }
            else
            {
                stop.OrderOpenTicks += d;
            }

            return;
        }

        switch (m.State)
        {
            case StateCategory.PlannedStop: oa.PlannedTicks += d; break;
            case StateCategory.Offline: oa.OfflineTicks += d; break;
            case StateCategory.Running: oa.RunTicks += d; break;
            default:
                if (offShift)
                {
                    oa.PlannedTicks += d;
                }
                else
                {
                    oa.RunTicks += d;
                }

                break;
        }
    }

    /// <summary>Books the open stop's time inside the order, classified by the stop's length at <paramref name="t"/>.</summary>
    private static void BookOrderStop(MachineState m, OrderState order, long t)
    {
        if (m.Stop is not { } stop || stop.OrderOpenTicks == 0 || order.Accumulators[m.Index] is not { } oa)
        {
            return;
        }

        var ticks = stop.OrderOpenTicks;
        stop.OrderOpenTicks = 0;
        if (t - stop.StartTicks < m.MicroThresholdTicks)
        {
            oa.MicroTicks += ticks;
            oa.MicroCount++;
        }
        else
        {
            oa.ReasonTicks[stop.Reason] += ticks;
            oa.ReasonCount[stop.Reason]++;
        }
    }

    /// <summary>One revision per completed order changed by late data since the last call.</summary>
    private void PublishOrderRevisions()
    {
        foreach (var m in _machines)
        {
            foreach (var order in m.RecentOrders)
            {
                if (order.Dirty && order.RecordMachine == m.Index)
                {
                    order.Dirty = false;
                    order.Revision++;
                    m.Version++;
                    Emit(new OrderEvent(m.Index, m.Id, At(_now), OrderChange.Revised, BuildOrderRecord(order, m, _now)));
                }
            }
        }
    }

    /// <summary>The order's record from machine <paramref name="m"/>'s share of it, as of <paramref name="asOf"/>.</summary>
    private OrderRecord BuildOrderRecord(OrderState order, MachineState m, long asOf)
    {
        var acc = order.Accumulators[m.Index] ?? new MachineAccumulator(m.Reasons.Count);
        long run = acc.RunTicks, planned = acc.PlannedTicks, offline = acc.OfflineTicks, micro = acc.MicroTicks;
        var microCount = acc.MicroCount;
        var openReason = -1;
        long openTicks = 0;
        var live = order.Status == OrderStatus.Running && m.Order == order;
        if (live)
        {
            var pending = Math.Max(0, asOf - m.AccountedUntil);
            var offShift = !_period.IsShift;
            if (m.Stop is { } stop)
            {
                var open = stop.OrderOpenTicks + (offShift ? 0 : pending);
                planned += offShift ? pending : 0;
                if (asOf - stop.StartTicks < m.MicroThresholdTicks)
                {
                    micro += open;
                    microCount += open > 0 ? 1 : 0;
                }
                else if (open > 0)
                {
                    openReason = stop.Reason;
                    openTicks = open;
                }
            }
            else
            {
                switch (m.State)
                {
                    case StateCategory.PlannedStop: planned += pending; break;
                    case StateCategory.Offline: offline += pending; break;
                    case StateCategory.Running: run += pending; break;
                    default:
                        if (offShift) { planned += pending; } else { run += pending; }
                        break;
                }
            }
        }

        var downtime = Downtime(m, acc, openReason, openTicks);
        var calendar = run + micro + downtime.Ticks + planned + offline;
        var counts = CountDerivation.Derive(m.HasTotal, m.HasGood, m.HasReject, acc.Total, acc.Good, acc.Reject, acc.Rework);
        var kpi = KpiCalculator.Compute(new KpiInputs
        {
            CalendarTicks = calendar,
            RunTicks = run + micro,
            DowntimeTicks = downtime.Ticks,
            DownCategoryTicks = downtime.DownTicks,
            PlannedTicks = planned,
            OfflineTicks = offline,
            MicroTicks = micro,
            MicroCount = microCount,
            StopCount = downtime.Stops,
            DownStopCount = downtime.DownStops,
            Counts = counts,
            IdealTicks = m.IdealTicks,
            IdealWorkTicks = IdealWork(m, acc),
            Reasons = downtime.Reasons,
            Stale = live && m.Offline,
        });

        var end = order.EndTicks == long.MaxValue ? asOf : order.EndTicks;
        var paused = order.PausedTicks + (order.Status == OrderStatus.Paused ? Math.Max(0, asOf - order.PausedSince) : 0);
        var cycle = Math.Max(0, end - order.StartTicks);
        var activeHours = (double)Math.Max(0, cycle - paused) / TimeSpan.TicksPerHour;
        var rate = activeHours > 0 ? counts.Good / activeHours : 0;
        DateTimeOffset? projected = null;
        bool? onTime = null;
        if (order.Status == OrderStatus.Completed)
        {
            onTime = order.DueTicks is { } due ? order.EndTicks <= due : null;
        }
        else
        {
            var remaining = order.Quantity is { } quantity ? Math.Max(0, quantity - counts.Good) : (long?)null;
            if (remaining == 0)
            {
                projected = At(asOf);
            }
            else if (remaining is { } left && rate > 0 && left / rate < 24 * 365)
            {
                projected = At(asOf + (long)(left / rate * TimeSpan.TicksPerHour));
            }

            // Past its due time and not complete, an order is late whatever the projection says: with no good part yet
            // (no rate) or no quantity (no projection) there is none, and the board must still show it late.
            onTime = order.DueTicks is not { } due ? null
                : asOf > due && remaining != 0 ? false
                : projected is { } p ? p.UtcTicks <= due
                : null;
        }

        var product = order.Product >= 0 ? _line.Products[order.Product] : null;
        return new OrderRecord
        {
            Site = _line.Site,
            Area = _line.Area,
            Line = _line.Line,
            LineScope = order.LineScope,
            MachineId = m.Id,
            OrderId = order.Id,
            ProductId = product?.Id,
            ProductName = product?.Name,
            Quantity = order.Quantity,
            Due = order.DueTicks is { } dueTicks ? At(dueTicks) : null,
            Status = order.Status,
            Start = At(order.StartTicks),
            End = order.EndTicks == long.MaxValue ? null : At(order.EndTicks),
            Revision = order.Revision,
            CycleTime = TimeSpan.FromTicks(cycle),
            ProductionTime = TimeSpan.FromTicks(run + micro),
            PausedTime = TimeSpan.FromTicks(paused),
            ChangeoverTime = order.FirstGoodTicks != long.MaxValue && order.PreviousEndTicks != long.MinValue
                ? TimeSpan.FromTicks(Math.Max(0, order.FirstGoodTicks - order.PreviousEndTicks))
                : null,
            FirstGoodAt = order.FirstGoodTicks == long.MaxValue ? null : At(order.FirstGoodTicks),
            Counts = counts,
            Kpi = kpi,
            Progress = order.Quantity is { } q && q > 0 ? (double)counts.Good / q : null,
            RatePerHour = rate,
            ProjectedCompletion = projected,
            OnTime = onTime,
            StartedBy = order.StartedBy,
            CompletedBy = order.CompletedBy,
        };
    }

    /// <summary>Σ ideal time × units over what the machine processed (total, or good + reject when total is derived).</summary>
    private static long IdealWork(MachineState m, MachineAccumulator acc) =>
        m.HasTotal ? acc.IdealTotal : acc.IdealGood + acc.IdealReject;

    /// <summary>Per-product counts of a period, in configuration order; empty when no product counted.</summary>
    private IReadOnlyList<ProductCounts> ProductCountsOf(MachineState m, MachineAccumulator acc)
    {
        if (acc.ProductCounts is not { } raw)
        {
            return [];
        }

        var result = new List<ProductCounts>();
        for (var p = 0; p < _line.Products.Count; p++)
        {
            var i = p * 4;
            if (raw[i] == 0 && raw[i + 1] == 0 && raw[i + 2] == 0 && raw[i + 3] == 0)
            {
                continue;
            }

            result.Add(new ProductCounts(_line.Products[p].Id,
                CountDerivation.Derive(m.HasTotal, m.HasGood, m.HasReject, raw[i], raw[i + 1], raw[i + 2], raw[i + 3])));
        }

        return result;
    }

    /// <summary>Downtime of an accumulator plus an open stop's time, by reason (longest first).</summary>
    private static DowntimeTotals Downtime(MachineState m, MachineAccumulator acc, int openReason, long openTicks)
    {
        var reasons = new List<ReasonDowntime>();
        long downtime = 0, downCategory = 0;
        int stops = 0, downStops = 0;
        for (var r = 0; r < acc.ReasonTicks.Length; r++)
        {
            var ticks = acc.ReasonTicks[r] + (r == openReason ? openTicks : 0);
            var count = acc.ReasonCount[r] + (r == openReason ? 1 : 0);
            if (ticks == 0 && count == 0)
            {
                continue;
            }

            var code = m.Reasons[r];
            reasons.Add(new ReasonDowntime(code.Code, code.Label, code.Category, TimeSpan.FromTicks(ticks), count));
            downtime += ticks;
            stops += count;
            if (code.Category == StateCategory.Down)
            {
                downCategory += ticks;
                downStops += count;
            }
        }

        reasons.Sort((a, b) => b.Duration.CompareTo(a.Duration));
        return new DowntimeTotals(reasons, downtime, downCategory, stops, downStops);
    }

    private readonly record struct DowntimeTotals(List<ReasonDowntime> Reasons, long Ticks, long DownTicks, int Stops, int DownStops);
}
