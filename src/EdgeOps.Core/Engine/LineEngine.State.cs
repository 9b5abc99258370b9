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
    private bool OnStateInput(ref SignalSlot slot, MachineState m, double value, long t, int handle)
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
                return OnStateCode(ref slot, m, value, t, handle);
            case SignalRole.StatusWord:
                return OnStatusWord(ref slot, m, value, t, handle);
            case SignalRole.UnitMode:
                return OnUnitMode(ref slot, m, value, t, handle);
            case SignalRole.StopReason:
                return OnStopReason(ref slot, m, value, t, handle);
            default:
                return false;
        }
    }

    /// <summary>Stands for a state code that is no code at all (NaN, a fraction, an unmapped negative number).</summary>
    private const long InvalidCode = long.MinValue;

    private bool OnStateCode(ref SignalSlot slot, MachineState m, double value, long t, int handle)
    {
        // A PLC state number is a whole number ≥ 0; a negative one is accepted only where stateCodes maps it.
        var valid = TryCode(value, out var state) && (state >= 0 || m.StateCodeReasons.ContainsKey(state));
        if (!Checked(ref slot, m, handle, value, t, valid, "not a state code (a whole number, 0 or more, or one stateCodes maps): the machine is Down/unknown until a valid code arrives"))
        {
            state = InvalidCode;
        }

        if (m.HasStateCode && state == m.StateCode)
        {
            return false;
        }

        m.HasStateCode = true;
        m.StateCode = state;
        if (m.StateCodeReasons.TryGetValue(state, out var reason))
        {
            m.StateCodeReason = reason;
        }
        else
        {
            m.StateCodeReason = -1;
            if (state != InvalidCode)
            {
                ReportUnmapped(m, handle, slot.Role, state, t);
            }
        }

        return true;
    }

    private bool OnStatusWord(ref SignalSlot slot, MachineState m, double value, long t, int handle)
    {
        var width = slot.WordWidth;
        // A word that does not fit says the width or the address is wrong: none of its bits can be trusted.
        var valid = TryCode(value, out var word) && word < 1L << width && word >= -(1L << (width - 1));
        if (!Checked(ref slot, m, handle, value, t, valid,
            valid ? string.Empty : $"does not fit the status word's {width} bits: ignored, its inputs keep their last values"))
        {
            return false;
        }

        word &= (1L << width) - 1; // a negative value is the two's complement of the word (an S7 INT)
        var changed = false;
        foreach (var bit in slot.Bits!)
        {
            var active = ((word >> bit.Bit) & 1) != 0 != bit.Inverted;
            changed |= bit.Role switch
            {
                SignalRole.Running => Set(ref m.Running, active),
                SignalRole.Fault => Set(ref m.WordFault, active),
                SignalRole.Starved => Set(ref m.Starved, active),
                SignalRole.Blocked => Set(ref m.Blocked, active),
                SignalRole.Changeover => Set(ref m.Changeover, active),
                SignalRole.PlannedStop => Set(ref m.PlannedInput, active),
                _ => false,
            };
        }

        return changed;
    }

    private bool OnUnitMode(ref SignalSlot slot, MachineState m, double value, long t, int handle)
    {
        if (!Checked(ref slot, m, handle, value, t, TryCode(value, out var mode), "not a unit mode (a whole number): counted as production until a valid mode arrives"))
        {
            mode = InvalidCode;
        }

        if (m.HasUnitMode && mode == m.UnitMode)
        {
            return false;
        }

        m.HasUnitMode = true;
        m.UnitMode = mode;
        if (!m.UnitModeReasons.TryGetValue(mode, out var reason))
        {
            // Unknown modes count as production: the state then comes from the machine's other inputs.
            reason = -1;
            if (mode != InvalidCode)
            {
                ReportUnmapped(m, handle, slot.Role, mode, t);
            }
        }

        if (reason == m.UnitModeReason)
        {
            return false;
        }

        m.UnitModeReason = reason;
        return true;
    }

    private bool OnStopReason(ref SignalSlot slot, MachineState m, double value, long t, int handle)
    {
        if (!Checked(ref slot, m, handle, value, t, TryCode(value, out var code) && code >= 0, "not a stop reason (a whole number, 0 for none): no stop reason until a valid one arrives"))
        {
            code = 0;
        }

        if (code == m.StopReasonCode)
        {
            return false;
        }

        m.StopReasonCode = code;
        m.StopReasonConsumed = false;
        var index = -1;
        if (code != 0 && !m.FaultCodeReasons.TryGetValue(code, out index))
        {
            index = -1;
            ReportUnmapped(m, handle, slot.Role, code, t);
        }

        m.StopReasonIndex = index;
        return true;
    }

    /// <summary>A whole number a PLC can send as a code (integral, finite, exactly representable).</summary>
    private static bool TryCode(double value, out long code)
    {
        const double MaxExact = 9_007_199_254_740_992d; // 2^53
        if (double.IsFinite(value) && Math.Abs(value) <= MaxExact && Math.Floor(value) == value)
        {
            code = (long)value;
            return true;
        }

        code = 0;
        return false;
    }

    /// <summary>Passes <paramref name="valid"/> through; an invalid value is reported once per spell of invalid values.</summary>
    private bool Checked(ref SignalSlot slot, MachineState m, int handle, double value, long t, bool valid, string problem)
    {
        if (valid)
        {
            slot.InvalidReported = false;
            return true;
        }

        if (!slot.InvalidReported)
        {
            slot.InvalidReported = true;
            Emit(new InvalidStateInputEvent(m.Index, m.Id, At(t), _catalog[handle].Definition.Name, double.IsFinite(value) ? value : null, problem));
        }

        return false;
    }

    private void ReportUnmapped(MachineState m, int handle, SignalRole role, long code, long t)
    {
        if (m.ReportedCodes.Add((handle, code)))
        {
            Emit(new UnmappedStateCodeEvent(m.Index, m.Id, At(t), _catalog[handle].Definition.Name, role, code));
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

        // Maintenance and manual unit modes leave planned production time whatever the machine does (ISO 22400).
        if (m.UnitModeReason >= 0)
        {
            return (StateCategory.PlannedStop, m.UnitModeReason);
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
            if (IsStop(category))
            {
                var (named, reason) = NamedStop(m, category, m.StateCodeReason);
                Consider(ref bestCategory, ref best, named, reason);
            }
            else if (category != StateCategory.Running)
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

        if (m.WordFault)
        {
            var (named, reason) = NamedStop(m, StateCategory.Down, ReasonTable.Fault);
            Consider(ref bestCategory, ref best, named, reason);
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

        return running ? (StateCategory.Running, ReasonTable.Running) : NamedStop(m, StateCategory.Down, ReasonTable.Unknown);
    }

    /// <summary>
    /// The PLC's stop reason (PackML <c>Admin.StopReason</c>, through faultCodes) names a stop the state code, a fault
    /// bit or the lack of any reason gives, unless the machine has run since the reason was set (a latched reason from
    /// the last stop must not name the next one) or the reason is not a stop reason.
    /// </summary>
    private static (StateCategory Category, int Reason) NamedStop(MachineState m, StateCategory category, int reason)
    {
        if (m.StopReasonIndex < 0 || m.StopReasonConsumed)
        {
            return (category, reason);
        }

        var named = m.Reasons.CategoryOf(m.StopReasonIndex);
        return IsStop(named) ? (named, m.StopReasonIndex) : (category, reason);
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
                // one the machine reports; a different known reason is a new stop. A state code that maps to nothing
                // is the PLC reporting a state, not a reason going missing: it ends a stop with a known reason.
                if (reason == stop.Reason || (reason == ReasonTable.Unknown && !m.StateCodeUnknown))
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
        if (category == StateCategory.Running)
        {
            m.StopReasonConsumed = true;
        }

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
        if (m.Order is { Status: Orders.OrderStatus.Running } order)
        {
            BookOrderStop(m, order, t);
        }

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
        AccountProductAndOrder(m, d);
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
