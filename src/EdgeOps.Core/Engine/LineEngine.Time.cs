using EdgeOps.Core.Engine.Events;
using EdgeOps.Core.Engine.Machines;

namespace EdgeOps.Core.Engine;

/// <summary>Time-driven transitions: deadlines, shift periods, breaks, retention of closed shifts.</summary>
public sealed partial class LineEngine
{
    private void AdvanceTo(long t)
    {
        if (t >= _nextDeadline)
        {
            RunDeadlines(t);
        }

        if (t > _now)
        {
            _now = t;
        }
    }

    /// <summary>Fires every deadline up to <paramref name="t"/> in time order, each at its exact instant.</summary>
    private void RunDeadlines(long t)
    {
        while (_nextDeadline <= t)
        {
            var e = _nextDeadline;
            if (e > _now)
            {
                _now = e;
            }

            FireDue(e);
            _nextDeadline = ComputeNextDeadline();
        }
    }

    private void FireDue(long e)
    {
        if (e >= _period.EndTicks)
        {
            RollPeriod(_period.EndTicks);
        }

        var inBreak = _period.InBreak(e);
        var breakChanged = inBreak != _inBreak;
        _inBreak = inBreak;
        foreach (var m in _machines)
        {
            var reevaluate = breakChanged;
            if (!m.TimedOut && m.LastFreshTicks + m.StaleTicks <= e)
            {
                m.TimedOut = true;
                reevaluate = true;
            }

            if (m.Inferred && m.InferredRunning && m.LastCountTicks + m.InferenceTicks <= e)
            {
                m.InferredRunning = false;
                reevaluate = true;
            }

            if (reevaluate)
            {
                Reevaluate(m, e);
            }

            if (m.Stop is { PastThreshold: false } stop && stop.StartTicks + m.MicroThresholdTicks <= e)
            {
                // The stop stops being a micro-stop and becomes downtime: what is published changes.
                stop.PastThreshold = true;
                m.Version++;
            }
        }
    }

    private long ComputeNextDeadline()
    {
        var next = Math.Min(_period.EndTicks, _period.NextBreakBoundary(_now));
        foreach (var m in _machines)
        {
            if (!m.TimedOut)
            {
                next = Math.Min(next, m.LastFreshTicks + m.StaleTicks);
            }

            if (m.Inferred && m.InferredRunning)
            {
                next = Math.Min(next, m.LastCountTicks + m.InferenceTicks);
            }

            if (m.Stop is { PastThreshold: false } stop)
            {
                next = Math.Min(next, stop.StartTicks + m.MicroThresholdTicks);
            }
        }

        return next;
    }

    /// <summary>Closes the current period at <paramref name="t"/> (its end) and opens the next shift or gap.</summary>
    private void RollPeriod(long t)
    {
        var old = _period;
        foreach (var m in _machines)
        {
            Account(m, t);
            if (m.Stop is { } stop)
            {
                // A stop across the boundary: each shift books its own part, classified by the stop's length so far.
                BookPortion(m, stop, old, t - stop.StartTicks < m.MicroThresholdTicks);
            }

            var acc = old.Accumulators[m.Index];
            (acc.Throughput1Min, acc.Throughput15Min) = RollingThroughput(m, t);
            acc.StaleAtClose = m.Offline;
        }

        old.Closed = true;
        _period = OpenPeriodAt(t);
        if (old.IsShift)
        {
            _closed.Add(old);
            foreach (var m in _machines)
            {
                Emit(new ShiftClosedEvent(m.Index, m.Id, At(t), BuildRecord(m, old)));
            }

            PruneRetention();
        }

        foreach (var m in _machines)
        {
            m.Version++;
        }
    }

    private Period OpenPeriodAt(long t)
    {
        var at = At(t);
        var shift = _calendar.ShiftAt(at);
        long start, end;
        if (shift is not null)
        {
            start = shift.Start.UtcTicks;
            end = shift.End.UtcTicks;
        }
        else
        {
            start = t;
            end = _calendar.NextShiftAfter(at)?.Start.UtcTicks ?? long.MaxValue;
        }

        var accumulators = new MachineAccumulator[_machines.Length];
        for (var i = 0; i < accumulators.Length; i++)
        {
            // Shift time before the engine ran (first start, overlapping shifts) has no data: it is offline time.
            accumulators[i] = new MachineAccumulator(_machines[i].Reasons.Count) { OfflineTicks = Math.Max(0, t - start) };
        }

        return new Period(shift, start, end, accumulators);
    }

    private void PruneRetention()
    {
        while (_closed.Count > RetainedClosedShifts)
        {
            _closed.RemoveAt(0);
        }

        if (_closed.Count > 0)
        {
            _horizonTicks = Math.Max(_horizonTicks, _closed[0].StartTicks);
        }

        foreach (var m in _machines)
        {
            m.RecentStops.RemoveAll(s => s.EndTicks < _horizonTicks);
        }
    }

    /// <summary>One revision per changed closed shift and machine since the last call.</summary>
    private void PublishRevisions()
    {
        foreach (var period in _closed)
        {
            foreach (var m in _machines)
            {
                var acc = period.Accumulators[m.Index];
                if (acc.Dirty)
                {
                    acc.Dirty = false;
                    acc.Revision++;
                    m.Version++;
                    Emit(new ShiftRevisedEvent(m.Index, m.Id, At(_now), BuildRecord(m, period)));
                }
            }
        }
    }
}
