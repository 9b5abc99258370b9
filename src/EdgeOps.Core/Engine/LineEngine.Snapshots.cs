using EdgeOps.Core.Engine.Machines;
using EdgeOps.Core.Kpi;
using EdgeOps.Core.Model;

namespace EdgeOps.Core.Engine;

/// <summary>Snapshots and shift records: accumulators (plus the not yet booked time) through the KPI formulas.</summary>
public sealed partial class LineEngine
{
    private MachineSnapshot Snapshot(MachineState m)
    {
        var now = _now;
        var inputs = BuildInputs(m, _period, now, live: true);
        var stop = m.Stop;
        return new MachineSnapshot
        {
            MachineIndex = m.Index,
            MachineId = m.Id,
            MachineName = m.Definition.Name,
            Timestamp = At(now),
            Version = m.Version,
            State = m.State,
            ReasonCode = m.Reasons[m.Reason].Code,
            ReasonLabel = m.Reasons[m.Reason].Label,
            StateSince = At(m.StateSinceTicks),
            CurrentStopId = stop?.Id,
            CurrentStopStart = stop is null ? null : At(stop.StartTicks),
            CurrentStopDuration = stop is null ? TimeSpan.Zero : TimeSpan.FromTicks(Math.Max(0, now - stop.StartTicks)),
            CurrentStopIsMicro = stop is not null && now - stop.StartTicks < m.MicroThresholdTicks,
            ShiftCounts = inputs.Counts,
            LifetimeCounts = CountDerivation.Derive(
                m.HasTotal, m.HasGood, m.HasReject, m.LifeTotal, m.LifeGood, m.LifeReject, m.LifeRework),
            Kpi = KpiCalculator.Compute(inputs),
            Capacity = KpiCalculator.Capacity(inputs, closed: false),
            Shift = CurrentShiftInfo(now),
            ProductId = m.Product >= 0 ? _line.Products[m.Product].Id : null,
            Order = m.Order is { } order ? BuildOrderRecord(order, m, now) : null,
        };
    }

    private LineSnapshot LineSnapshotCore()
    {
        var machines = new MachineSnapshot[_machines.Length];
        for (var i = 0; i < machines.Length; i++)
        {
            machines[i] = Snapshot(_machines[i]);
        }

        var output = machines[_outputMachine];
        return new LineSnapshot
        {
            Site = _line.Site,
            Area = _line.Area,
            Line = _line.Line,
            Timestamp = At(_now),
            Shift = CurrentShiftInfo(_now),
            Machines = machines,
            OutputMachineId = output.MachineId,
            LineOutput = output.ShiftCounts.Good,
            LineOutputLifetime = output.LifetimeCounts.Good,
            Order = _machines[_outputMachine].Order is { LineScope: true } order ? BuildOrderRecord(order, _machines[_outputMachine], _now) : null,
        };
    }

    private ShiftInfo? CurrentShiftInfo(long now)
    {
        var shift = _period.Shift;
        return shift is null
            ? null
            : new ShiftInfo(shift.Name, shift.Id, shift.LocalDate, shift.Start, shift.End, shift.End - At(now), _inBreak);
    }

    private ShiftRecord BuildRecord(MachineState m, Period period)
    {
        var shift = period.Shift!;
        var acc = period.Accumulators[m.Index];
        var inputs = BuildInputs(m, period, period.EndTicks, live: false);
        return new ShiftRecord
        {
            Site = _line.Site,
            Area = _line.Area,
            Line = _line.Line,
            MachineId = m.Id,
            ShiftName = shift.Name,
            ShiftId = shift.Id,
            LocalDate = shift.LocalDate,
            Start = shift.Start,
            End = shift.End,
            Revision = acc.Revision,
            Closed = period.Closed,
            Counts = inputs.Counts,
            Kpi = KpiCalculator.Compute(inputs),
            Capacity = KpiCalculator.Capacity(inputs, closed: period.Closed),
            Products = ProductCountsOf(m, acc),
        };
    }

    /// <summary>
    /// The KPI inputs of a machine in a period as of <paramref name="asOf"/>. Live: adds the time not yet booked
    /// (since the last transition) to the current state, and the open stop as a micro-stop or as downtime of its
    /// reason depending on its length so far, so the time identity holds at every instant.
    /// </summary>
    private KpiInputs BuildInputs(MachineState m, Period period, long asOf, bool live)
    {
        var acc = period.Accumulators[m.Index];
        long run = acc.RunTicks, planned = acc.PlannedTicks, offline = acc.OfflineTicks, micro = acc.MicroTicks;
        var microCount = acc.MicroCount;
        var openReason = -1;
        long openTicks = 0;
        if (live)
        {
            var pending = Math.Max(0, asOf - m.AccountedUntil);
            if (m.Stop is { } stop)
            {
                var open = stop.OpenTicks + pending;
                if (asOf - stop.StartTicks < m.MicroThresholdTicks)
                {
                    micro += open;
                    microCount++;
                }
                else if (open > 0 || stop.Portions.Count == 0)
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
                    default: run += pending; break;
                }
            }
        }

        var downtime = Downtime(m, acc, openReason, openTicks);
        // Planned production time not yet booked counts towards theoretical output and target at today's ideal time.
        var pendingPpt = live && m.State is not (StateCategory.PlannedStop or StateCategory.Offline) ? Math.Max(0, asOf - m.AccountedUntil) : 0;
        var theoretical = acc.TheoreticalUnits + ((double)pendingPpt / m.IdealTicks);
        double? target = acc.HasTarget || (live && m.TargetPerHour is not null)
            ? acc.TargetUnits + ((m.TargetPerHour ?? 0) * pendingPpt / TimeSpan.TicksPerHour)
            : null;
        var end = Math.Min(asOf, period.EndTicks);
        var calendar = Math.Max(0, end - period.StartTicks);
        var (tp1, tp15) = live ? RollingThroughput(m, asOf) : (acc.Throughput1Min, acc.Throughput15Min);
        var scheduled = period.EndTicks == long.MaxValue
            ? calendar
            : period.EndTicks - period.StartTicks - period.BreakTicksBetween(period.StartTicks, period.EndTicks);
        return new KpiInputs
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
            Counts = CountDerivation.Derive(m.HasTotal, m.HasGood, m.HasReject, acc.Total, acc.Good, acc.Reject, acc.Rework),
            IdealTicks = m.IdealTicks,
            IdealWorkTicks = IdealWork(m, acc),
            TheoreticalUnits = theoretical,
            TargetUnits = target,
            TargetPerHour = m.TargetPerHour,
            Throughput1Min = tp1,
            Throughput15Min = tp15,
            Reasons = downtime.Reasons,
            Stale = live ? m.Offline : acc.StaleAtClose,
            ScheduledTicks = scheduled,
            ScheduledElapsedTicks = calendar - period.BreakTicksBetween(period.StartTicks, end),
        };
    }

    /// <summary>Good units per hour over the last 1 and 15 minutes (over less while the engine has run less).</summary>
    private static (double OneMinute, double FifteenMinutes) RollingThroughput(MachineState m, long now)
    {
        return (Rate(60), Rate(ThroughputWindow.Seconds));

        double Rate(int seconds)
        {
            var (total, good, reject) = m.Window.Sum(now, seconds);
            var covered = Math.Min(seconds * TimeSpan.TicksPerSecond, now - m.WindowOriginTicks);
            if (covered <= 0)
            {
                return 0;
            }

            var units = CountDerivation.DeriveGood(m.HasTotal, m.HasGood, m.HasReject, total, good, reject);
            return units * (double)TimeSpan.TicksPerHour / covered;
        }
    }
}
