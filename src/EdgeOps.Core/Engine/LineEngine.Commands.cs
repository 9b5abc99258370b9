using EdgeOps.Core.Engine.Events;
using EdgeOps.Core.Engine.Machines;
using EdgeOps.Core.Model;

namespace EdgeOps.Core.Engine;

/// <summary>Operator commands: reason assignment.</summary>
public sealed partial class LineEngine
{
    private bool AssignReasonCore(
        string machineId, long? stopId, long stopStartTicks, string reasonCode, string who, out string? error)
    {
        if (!TryGetMachine(machineId, out var m, out error))
        {
            return false;
        }

        var stop = FindStop(m, stopId, stopStartTicks);
        if (stop is null)
        {
            error = stopId is { } id
                ? $"Machine '{m.Id}' has no stop with id {id} in the current or the last {RetainedClosedShifts} shifts."
                : $"Machine '{m.Id}' has no stop starting at {At(stopStartTicks):O} in the current or the last {RetainedClosedShifts} shifts.";
            return false;
        }

        if (reasonCode is null || !m.Reasons.TryFind(reasonCode, out var reason))
        {
            error = $"Unknown reason code '{reasonCode}' for machine '{m.Id}' (known: {string.Join(", ", m.Reasons.Codes)}).";
            return false;
        }

        var category = m.Reasons.CategoryOf(reason);
        if (!IsStop(category))
        {
            error = $"Reason '{reasonCode}' is a {category} reason; a stop takes a Down, Changeover or Idle reason.";
            return false;
        }

        var previous = stop.Reason;
        if (previous != reason)
        {
            for (var i = 0; i < stop.Portions.Count; i++)
            {
                var portion = stop.Portions[i];
                if (portion.Micro)
                {
                    continue; // micro-stops are a performance loss with no reason breakdown
                }

                var acc = portion.Period.Accumulators[m.Index];
                acc.ReasonTicks[previous] -= portion.Ticks;
                acc.ReasonCount[previous]--;
                acc.ReasonTicks[reason] += portion.Ticks;
                acc.ReasonCount[reason]++;
                if (portion.Period.Closed && portion.Period.IsShift)
                {
                    acc.Dirty = true;
                }
            }
        }

        stop.Reason = reason;
        stop.Assigned = true;
        if (ReferenceEquals(m.Stop, stop) && m.Reason != reason)
        {
            Account(m, _now);
            SetState(m, Math.Max(_now, m.AccountedUntil), category, reason, stop.Id);
        }

        m.Version++;
        var code = m.Reasons[reason];
        Emit(new ReasonAssignedEvent(
            m.Index, m.Id, At(_now), stop.Id, At(stop.StartTicks), m.ReasonCodeOf(previous), code.Code, code.Label, who));
        return true;
    }

    /// <summary>How long after a stop ended a reason button still names it (the operator presses after the fix).</summary>
    public static readonly TimeSpan ReasonButtonWindow = TimeSpan.FromMinutes(5);

    private void OnReasonButton(in SignalSlot slot, MachineState m, int handle)
    {
        var who = "button:" + _catalog[handle].Definition.Name;
        var stop = m.Stop;
        if (stop is null && m.RecentStops.Count > 0 && m.RecentStops[^1] is { IsOpen: false } last
            && _now - last.EndTicks <= ReasonButtonWindow.Ticks)
        {
            stop = last;
        }

        if (stop is null || slot.ReasonIndex < 0)
        {
            _ignoredReasonPresses++;
            return;
        }

        _ = AssignReasonCore(m.Id, stop.Id, 0, m.ReasonCodeOf(slot.ReasonIndex), who, out _);
    }

    private static StopRecord? FindStop(MachineState m, long? stopId, long startTicks)
    {
        if (stopId is { } id)
        {
            return m.Stop?.Id == id ? m.Stop : m.RecentStops.Find(s => s.Id == id);
        }

        // Payloads carry milliseconds; the engine keeps ticks. Take the stop whose start is nearest, within 1 ms.
        StopRecord? best = null;
        var bestDistance = TimeSpan.TicksPerMillisecond;
        foreach (var candidate in m.RecentStops.Append(m.Stop))
        {
            if (candidate is null)
            {
                continue;
            }

            var distance = Math.Abs(candidate.StartTicks - startTicks);
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        return best;
    }
}
