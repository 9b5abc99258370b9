using EdgeOps.Core.Engine.Events;
using EdgeOps.Core.Engine.Machines;
using EdgeOps.Core.Model;
using EdgeOps.Core.Signals;

namespace EdgeOps.Core.Engine;

/// <summary>The state model: inputs → category and reason by precedence, stops, time accounting.</summary>
public sealed partial class LineEngine
{
    private static bool Active(double value, bool inverted) => (value != 0 && !double.IsNaN(value)) != inverted;

    private static bool Set(ref bool field, bool value)
    {
        if (field == value)
        {
            return false;
        }

        field = value;
        return true;
    }

    /// <summary>Applies a state input; true when the machine's state must be re-derived.</summary>
    private static bool OnStateInput(ref SignalSlot slot, MachineState m, double value, long t)
    {
        if (t < slot.LastTicks)
        {
            return false; // superseded by a newer value of the same input
        }

        slot.LastTicks = t;
        switch (slot.Role)
        {
            case SignalRole.Running:
                return Set(ref m.Running, Active(value, slot.Inverted));
            case SignalRole.Starved:
                return Set(ref m.Starved, Active(value, slot.Inverted));
            case SignalRole.Blocked:
                return Set(ref m.Blocked, Active(value, slot.Inverted));
            case SignalRole.PlannedStop:
                return Set(ref m.PlannedInput, Active(value, slot.Inverted));
            case SignalRole.Changeover:
                return Set(ref m.Changeover, Active(value, slot.Inverted));
            case SignalRole.Fault:
                var code = slot.Inverted ? (Active(value, true) ? 1 : 0) : (double.IsFinite(value) ? (long)value : 1);
                if (code == m.FaultCode)
                {
                    return false;
                }

                m.FaultCode = code;
                m.FaultReason = m.FaultCodeReasons.TryGetValue(code, out var fault) ? fault : ReasonTable.Fault;
                return true;
            case SignalRole.StateCode:
                var state = double.IsFinite(value) ? (long)value : long.MinValue;
                if (m.HasStateCode && state == m.StateCode)
                {
                    return false;
                }

                m.HasStateCode = true;
                m.StateCode = state;
                m.StateCodeReason = m.StateCodeReasons.TryGetValue(state, out var reason) ? reason : -1;
                return true;
            default:
                return false;
        }
    }

    private void OnBadQuality(ref SignalSlot slot, MachineState m, long t)
    {
        // Analog inputs belong to condition monitoring; a bad sensor there does not make the machine's KPIs stale.
        if (slot.Role == SignalRole.Analog || slot.Bad)
        {
            return;
        }

        slot.Bad = true;
        m.BadInputs++;
        m.Version++;
        Reevaluate(m, t);
        _nextDeadline = ComputeNextDeadline();
    }

    private void Reevaluate(MachineState m, long t)
    {
        if (t < m.AccountedUntil)
        {
            t = m.AccountedUntil; // the engine does not rewrite accounted history
        }

        var (category, reason) = Effective(m);
        Apply(m, t, category, reason);
    }

    private (StateCategory Category, int Reason) Effective(MachineState m)
    {
        if (m.Offline)
        {
            return (StateCategory.Offline, ReasonTable.Offline);
        }

        if (m.PlannedInput || m.PlannedCommand)
        {
            return (StateCategory.PlannedStop, ReasonTable.PlannedStop);
        }

        var (category, reason) = Derived(m);
        if (category is StateCategory.Running or StateCategory.PlannedStop or StateCategory.Offline)
        {
            return (category, reason);
        }

        // A break is a planned stop only while the machine is not running.
        return _inBreak ? (StateCategory.PlannedStop, ReasonTable.Break) : (category, reason);
    }

    /// <summary>The state the machine's own inputs give, by precedence (no staleness, planned stops or breaks).</summary>
    private static (StateCategory Category, int Reason) Derived(MachineState m)
    {
        var bestCategory = StateCategory.Running;
        var best = -1;
        if (m.HasStateCode && m.StateCodeReason >= 0)
        {
            var category = m.Reasons.CategoryOf(m.StateCodeReason);
            if (category != StateCategory.Running)
            {
                Consider(ref bestCategory, ref best, category, m.StateCodeReason);
            }
        }

        if (m.FaultCode != 0)
        {
            // A fault code may map to any stop reason (a "no material" code is Idle); anything else counts as Down.
            var category = m.Reasons.CategoryOf(m.FaultReason);
            Consider(ref bestCategory, ref best, IsStop(category) ? category : StateCategory.Down,
                IsStop(category) ? m.FaultReason : ReasonTable.Fault);
        }

        if (m.Changeover)
        {
            Consider(ref bestCategory, ref best, StateCategory.Changeover, ReasonTable.Changeover);
        }

        if (m.Starved)
        {
            Consider(ref bestCategory, ref best, StateCategory.Idle, ReasonTable.Starved);
        }

        if (m.Blocked)
        {
            Consider(ref bestCategory, ref best, StateCategory.Idle, ReasonTable.Blocked);
        }

        if (best >= 0)
        {
            return (bestCategory, best);
        }

        bool running;
        if (m.HasRunningSignal)
        {
            running = m.Running;
        }
        else if (m.HasStateCodeSignal)
        {
            running = m.HasStateCode && m.StateCodeReason >= 0;
        }
        else
        {
            running = m.InferredRunning;
        }

        return running ? (StateCategory.Running, ReasonTable.Running) : (StateCategory.Down, ReasonTable.Unknown);
    }

    private static void Consider(ref StateCategory bestCategory, ref int best, StateCategory category, int reason)
    {
        if (best < 0 || category > bestCategory)
        {
            bestCategory = category;
            best = reason;
        }
    }

    private static bool IsStop(StateCategory category) =>
        category is StateCategory.Down or StateCategory.Changeover or StateCategory.Idle;

    private void Apply(MachineState m, long t, StateCategory category, int reason)
    {
        var stop = m.Stop;
        if (stop is not null)
        {
            if (IsStop(category))
            {
                // Still stopped: an unknown reason keeps the stop's reason; a stop without a reason takes the first
                // one the machine reports; a different known reason is a new stop.
                if (reason == stop.Reason || reason == ReasonTable.Unknown)
                {
                    return;
                }

                if (stop.Reason == ReasonTable.Unknown && !stop.Assigned)
                {
                    Account(m, t);
                    stop.Reason = reason;
                    SetState(m, t, category, reason, stop.Id);
                    return;
                }

                EndStop(m, t);
                StartStop(m, t, category, reason);
                return;
            }

            EndStop(m, t);
            SetState(m, t, category, reason, null);
            return;
        }

        if (category == m.State && reason == m.Reason)
        {
            return;
        }

        Account(m, t);
        if (IsStop(category))
        {
            StartStop(m, t, category, reason);
        }
        else
        {
            SetState(m, t, category, reason, null);
        }
    }

    private void SetState(MachineState m, long t, StateCategory category, int reason, long? stopId)
    {
        var from = m.State;
        var fromReason = m.Reason;
        m.State = category;
        m.Reason = reason;
        m.StateSinceTicks = t;
        m.Version++;
        var code = m.Reasons[reason];
        Emit(new StateChangedEvent(
            m.Index, m.Id, At(t), from, category, m.ReasonCodeOf(fromReason), code.Code, code.Label, stopId));
    }

    private void StartStop(MachineState m, long t, StateCategory category, int reason)
    {
        var stop = new StopRecord(_nextStopId++, t, reason);
        m.Stop = stop;
        SetState(m, t, category, reason, stop.Id);
    }

    private void EndStop(MachineState m, long t)
    {
        Account(m, t);
        var stop = m.Stop!;
        var duration = t - stop.StartTicks;
        if (duration == 0 && stop.Portions.Count == 0)
        {
            // Two inputs changing at the same instant (a break ends as the machine restarts): not a stop.
            m.Stop = null;
            return;
        }

        var micro = duration < m.MicroThresholdTicks;
        BookPortion(m, stop, _period, micro);
        stop.EndTicks = t;
        if (!micro)
        {
            // Only stops that count as downtime can usefully get a reason later (micro-stops have no reason
            // breakdown); keeping micro-stops out bounds memory and the checkpoint on a line that stutters.
            if (m.RecentStops.Count >= MaxRecentStops)
            {
                m.RecentStops.RemoveAt(0);
            }

            m.RecentStops.Add(stop);
        }
        m.Stop = null;
        m.Version++;
        var code = m.Reasons[stop.Reason];
        Emit(new StopEndedEvent(
            m.Index, m.Id, At(t), stop.Id, At(stop.StartTicks), TimeSpan.FromTicks(duration),
            code.Category, code.Code, code.Label, micro));
    }

    /// <summary>Books a stop's open time into a period: as micro-stop time, or as downtime of its reason.</summary>
    private static void BookPortion(MachineState m, StopRecord stop, Period period, bool micro)
    {
        var ticks = stop.OpenTicks;
        if (ticks == 0 && stop.Portions.Count > 0)
        {
            return; // carried over a boundary and ended right at it: nothing in this period
        }

        stop.OpenTicks = 0;
        var acc = period.Accumulators[m.Index];
        if (micro)
        {
            acc.MicroTicks += ticks;
            acc.MicroCount++;
        }
        else
        {
            acc.ReasonTicks[stop.Reason] += ticks;
            acc.ReasonCount[stop.Reason]++;
        }

        stop.Portions.Add(new StopPortion(period, ticks, micro));
    }

    /// <summary>Books the time since the last accounting into the current state's bucket of the current period.</summary>
    private void Account(MachineState m, long t)
    {
        var d = t - m.AccountedUntil;
        if (d <= 0)
        {
            return;
        }

        m.AccountedUntil = t;
        if (m.Stop is { } stop)
        {
            stop.OpenTicks += d;
            return;
        }

        var acc = _period.Accumulators[m.Index];
        switch (m.State)
        {
            case StateCategory.PlannedStop:
                acc.PlannedTicks += d;
                break;
            case StateCategory.Offline:
                acc.OfflineTicks += d;
                break;
            default:
                acc.RunTicks += d;
                break;
        }
    }
}
