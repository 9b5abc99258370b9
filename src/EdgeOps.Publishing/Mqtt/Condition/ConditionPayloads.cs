using System.Globalization;
using EdgeOps.Core.Condition;
using EdgeOps.Core.Condition.Alarms;
using EdgeOps.Core.Condition.Maintenance;
using EdgeOps.Core.Model;
using EdgeOps.Contract.Payloads;
using static EdgeOps.Contract.Payloads.PayloadFormat;

namespace EdgeOps.Publishing.Mqtt.Condition;

/// <summary>
/// Maps condition monitoring and maintenance (src/EdgeOps.Core/Condition) to the wire payloads (docs/mqtt-contract.md).
/// Pure: time comes in. Non-finite numbers never reach the wire (JSON has no NaN): optional fields become null.
/// </summary>
public static class ConditionPayloads
{
    /// <summary>One window of an analog signal for <c>condition/{signal}</c>.</summary>
    public static ConditionPayload Condition(ConditionSnapshot snapshot, ConditionDefinition definition, string? unit, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(definition);
        var f = snapshot.Features;
        return new ConditionPayload
        {
            Ts = now,
            SourceTs = f.WindowEnd,
            Machine = snapshot.Machine,
            Signal = snapshot.Signal,
            Unit = unit,
            WindowS = definition.Window.TotalSeconds,
            WindowStart = f.WindowStart,
            WindowEnd = f.WindowEnd,
            Running = f.Running,
            Samples = f.SampleCount,
            Mean = Required(f.Mean),
            Rms = Required(f.Rms),
            Peak = Required(f.Peak),
            PeakToPeak = Required(f.PeakToPeak),
            CrestFactor = Finite(f.CrestFactor),
            StdDev = Finite(f.StdDev),
            Kurtosis = Finite(f.Kurtosis),
            VelocityRmsMmS = Finite(f.VelocityRms),
            Zone = f.Zone?.ToString(),
            IsoClass = f.Zone is null ? null : definition.IsoClass?.ToString(),
            Bands = f.Bands.Count == 0 ? null : f.Bands.ToDictionary(b => b.Name, b => Required(b.Energy), StringComparer.Ordinal),
            AnomalyScore = Finite(snapshot.AnomalyScore),
            AnomalyFeature = snapshot.AnomalyScore is null ? null : snapshot.AnomalyFeature,
            BaselineWindows = snapshot.BaselineWindows,
            TrendPerHour = Finite(snapshot.TrendSlopePerHour),
            HoursToThreshold = Finite(snapshot.HoursToThreshold),
        };
    }

    /// <summary>An alarm raise or clear for the <c>events</c> topic.</summary>
    public static EventPayload AlarmEvent(AlarmEvent e, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(e);
        var raised = e.Transition == AlarmTransition.Raised;
        return new EventPayload
        {
            Ts = now,
            SourceTs = e.At,
            Machine = e.Machine,
            Type = raised ? "alarmRaised" : "alarmCleared",
            Severity = raised ? Severity(e.Severity) : "info",
            Message = raised
                ? $"{e.Signal}: alarm '{e.Alarm}' raised, {e.Feature} {Readable(e.Value)} reached {Readable(e.Threshold)}"
                : $"{e.Signal}: alarm '{e.Alarm}' cleared, {e.Feature} {Readable(e.Value)} back to {Readable(e.Threshold)}",
            At = e.At,
            Signal = e.Signal,
            Value = Finite(e.Value),
            Details = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["alarm"] = e.Alarm,
                ["feature"] = e.Feature,
                ["threshold"] = Text(e.Threshold),
                ["alarmSeverity"] = Severity(e.Severity),
                ["raisedAt"] = Time(e.RaisedAt),
            },
        };
    }

    /// <summary>A maintenance item due, overdue, or reset (with who and when) for the <c>events</c> topic.</summary>
    public static EventPayload MaintenanceEvent(MaintenanceEvent e, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(e);
        var usage = $"{e.RunHours.ToString("0.##", CultureInfo.InvariantCulture)} h, {Text(e.Cycles)} cycles, {Text(e.Starts)} starts";
        var details = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["item"] = e.Item,
            ["runHours"] = Text(Math.Round(e.RunHours, 4)),
            ["cycles"] = Text(e.Cycles),
            ["starts"] = Text(e.Starts),
        };
        if (e.By is { } by)
        {
            details["by"] = by;
        }

        return new EventPayload
        {
            Ts = now,
            SourceTs = e.At,
            Machine = e.Machine,
            Type = e.Kind switch
            {
                MaintenanceEventKind.Due => "maintenanceDue",
                MaintenanceEventKind.Overdue => "maintenanceOverdue",
                _ => "maintenanceReset",
            },
            Severity = e.Kind switch
            {
                MaintenanceEventKind.Due => "warning",
                MaintenanceEventKind.Overdue => "critical",
                _ => "info",
            },
            Message = e.Kind switch
            {
                MaintenanceEventKind.Due => $"maintenance '{e.Item}' due ({usage} since the last reset)",
                MaintenanceEventKind.Overdue => $"maintenance '{e.Item}' overdue ({usage} since the last reset)",
                _ => $"maintenance '{e.Item}' done by {e.By}; counter reset after {usage}",
            },
            At = e.At,
            Details = details,
        };
    }

    /// <summary>The retained list of raised alarms of one machine.</summary>
    public static AlarmsPayload Alarms(string machine, IEnumerable<ActiveAlarm> active, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(active);
        return new AlarmsPayload
        {
            Ts = now,
            Machine = machine,
            Active = [.. active.OrderBy(a => a.Since).Select(a => new ActiveAlarmEntry(
                a.Signal, a.Alarm, Severity(a.Severity), a.Feature, Required(a.Value), a.Threshold, a.Since))],
        };
    }

    /// <summary>The retained maintenance counters of one machine.</summary>
    public static MaintenancePayload Maintenance(MaintenanceCounters counters, IReadOnlyList<MaintenanceDefinition> items, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(counters);
        ArgumentNullException.ThrowIfNull(items);
        var definitions = items.ToDictionary(i => i.Item, StringComparer.Ordinal);
        return new MaintenancePayload
        {
            Ts = now,
            Machine = counters.Machine,
            RunHours = Math.Round(counters.RunHours, 4),
            Cycles = counters.Cycles,
            Starts = counters.Starts,
            Items = [.. counters.Status().Select(s =>
            {
                var d = definitions.GetValueOrDefault(s.Item);
                return new MaintenanceItemEntry
                {
                    Item = s.Item,
                    Level = Level(s.Level),
                    Progress = Math.Round(s.Progress, 4),
                    RunHours = Math.Round(s.RunHours, 4),
                    Cycles = s.Cycles,
                    Starts = s.Starts,
                    EveryHours = d?.EveryHours,
                    EveryCycles = d?.EveryCycles,
                    EveryStarts = d?.EveryStarts,
                    LastResetAt = s.LastResetAt,
                    LastResetBy = s.LastResetBy,
                };
            })],
        };
    }

    /// <summary>info, warning, critical.</summary>
    public static string Severity(AlarmSeverity severity) => severity switch
    {
        AlarmSeverity.Info => "info",
        AlarmSeverity.Critical => "critical",
        _ => "warning",
    };

    /// <summary>ok, due, overdue.</summary>
    public static string Level(MaintenanceLevel level) => level switch
    {
        MaintenanceLevel.Due => "due",
        MaintenanceLevel.Overdue => "overdue",
        _ => "ok",
    };
}
