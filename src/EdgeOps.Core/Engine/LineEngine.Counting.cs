using EdgeOps.Core.Engine.Events;
using EdgeOps.Core.Engine.Machines;
using EdgeOps.Core.Signals;

namespace EdgeOps.Core.Engine;

/// <summary>Pulse and totalizer counting: deltas, rollover, reset, PLC download, quarantine, late counts.</summary>
public sealed partial class LineEngine
{
    /// <summary>Slack on the derived plausible step, so a short sampling jitter never quarantines real parts.</summary>
    private const long JumpSlack = 10;

    private bool OnPulse(ref SignalSlot slot, MachineState m, double value, long t)
    {
        if (!(value >= 0) || double.IsInfinity(value))
        {
            Anomaly(ref slot, m, t, CounterAnomalyKind.InvalidValue, 0, value, 0);
            return false;
        }

        var n = (long)Math.Round(value);
        if (n == 0)
        {
            return false; // a heartbeat: freshness only
        }

        if (slot.MaxJump > 0 && n > slot.MaxJump)
        {
            Anomaly(ref slot, m, t, CounterAnomalyKind.QuarantinedJump, 0, value, 0);
            return false;
        }

        return AddCount(ref slot, m, n, t, value);
    }

    private bool OnTotalizer(ref SignalSlot slot, MachineState m, double value, long t)
    {
        if (!(value >= 0) || value >= 9.0e18 || (slot.Modulus > 0 && value >= slot.Modulus))
        {
            Anomaly(ref slot, m, t, CounterAnomalyKind.InvalidValue, slot.LastRaw, value, 0);
            return false;
        }

        var v = (long)value;
        if (!slot.HasBaseline)
        {
            // The first value only sets the baseline: what the counter held before we saw it is not ours to count.
            slot.HasBaseline = true;
            slot.LastRaw = v;
            slot.LastTicks = t;
            return false;
        }

        if (t < slot.LastTicks)
        {
            return false; // an older reading; the newer absolute value already includes it
        }

        var previous = slot.LastRaw;
        var elapsed = t - slot.LastTicks;
        slot.LastTicks = t;
        if (v == previous)
        {
            return false;
        }

        slot.LastRaw = v;
        var max = slot.MaxJump > 0 ? slot.MaxJump : JumpSlack + (2 * CeilDiv(elapsed, m.IdealTicks));
        if (v > previous)
        {
            var delta = v - previous;
            if (delta > max)
            {
                Anomaly(ref slot, m, t, CounterAnomalyKind.QuarantinedJump, previous, value, 0);
                return false;
            }

            return AddCount(ref slot, m, delta, t, value);
        }

        if (slot.Modulus > 0)
        {
            var wrapped = v + slot.Modulus - previous;
            if (wrapped <= max)
            {
                Anomaly(ref slot, m, t, CounterAnomalyKind.Rollover, previous, value, wrapped);
                return AddCount(ref slot, m, wrapped, t, value);
            }
        }

        if (v <= max)
        {
            // Restarted from zero: what it counted since zero are real parts.
            Anomaly(ref slot, m, t, CounterAnomalyKind.Reset, previous, value, v);
            return v > 0 && AddCount(ref slot, m, v, t, value);
        }

        Anomaly(ref slot, m, t, CounterAnomalyKind.PlcDownload, previous, value, 0);
        return false;
    }

    private static long CeilDiv(long a, long b) => a <= 0 ? 0 : ((a - 1) / b) + 1;

    /// <summary>Adds counted units to the period of their timestamp; true when counting-only inference starts running.</summary>
    private bool AddCount(ref SignalSlot slot, MachineState m, long n, long t, double value)
    {
        var role = slot.Role;
        var span = SpanAt(m, t);
        if (t >= _period.StartTicks)
        {
            CountInto(_period.Accumulators[m.Index], m, role, n, span, perProduct: true);
        }
        else if (!AddLate(m, role, n, t, value, span))
        {
            return false;
        }

        CountOrder(m, role, n, t, span);

        switch (role)
        {
            case SignalRole.Total:
                m.LifeTotal += n;
                m.Window.Add(t, 0, n);
                break;
            case SignalRole.Good:
                m.LifeGood += n;
                m.Window.Add(t, 1, n);
                break;
            case SignalRole.Reject:
                m.LifeReject += n;
                m.Window.Add(t, 2, n);
                break;
            default:
                m.LifeRework += n;
                return false;
        }

        m.Version++;
        if (m.Inferred)
        {
            if (t > m.LastCountTicks)
            {
                m.LastCountTicks = t;
            }

            if (!m.InferredRunning && m.LastCountTicks + m.InferenceTicks > _now)
            {
                m.InferredRunning = true;
                return true;
            }
        }

        return false;
    }

    private static void AddTo(MachineAccumulator acc, SignalRole role, long n)
    {
        switch (role)
        {
            case SignalRole.Total: acc.Total += n; break;
            case SignalRole.Good: acc.Good += n; break;
            case SignalRole.Reject: acc.Reject += n; break;
            default: acc.Rework += n; break;
        }
    }

    /// <summary>A count from before the current period: into its retained closed shift, the lifetime only, or dropped.</summary>
    private bool AddLate(MachineState m, SignalRole role, long n, long t, double value, in ProductSpan span)
    {
        for (var i = _closed.Count - 1; i >= 0; i--)
        {
            var period = _closed[i];
            if (period.Contains(t))
            {
                var acc = period.Accumulators[m.Index];
                CountInto(acc, m, role, n, span, perProduct: true);
                acc.Dirty = true;
                return true;
            }
        }

        if (t >= _horizonTicks)
        {
            return true; // between retained shifts: not production time, lifetime only
        }

        Emit(new LateDataDroppedEvent(m.Index, m.Id, At(_now), RoleSignalName(m, role), At(t), value));
        m.Version++;
        return false;
    }

    private void Anomaly(
        ref SignalSlot slot, MachineState m, long t, CounterAnomalyKind kind, double previous, double value, long counted)
    {
        Emit(new CounterAnomalyEvent(m.Index, m.Id, At(t), kind, RoleSignalName(m, slot.Role), previous, value, counted));
        m.Version++;
    }

    private static string RoleSignalName(MachineState m, SignalRole role)
    {
        foreach (var signal in m.Definition.Signals)
        {
            if (signal.Role == role)
            {
                return signal.Name;
            }
        }

        return role.ToString();
    }
}
