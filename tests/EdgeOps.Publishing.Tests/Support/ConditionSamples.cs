using EdgeOps.Contract;
using EdgeOps.Core.Condition;
using EdgeOps.Core.Condition.Alarms;
using EdgeOps.Core.Condition.Maintenance;
using EdgeOps.Core.Model;
using EdgeOps.Core.Signals;
using EdgeOps.Publishing.Mqtt;
using EdgeOps.Publishing.Mqtt.Condition;
using EdgeOps.Contract.Payloads;
using EdgeOps.Publishing.Outbox;

namespace EdgeOps.Publishing.Tests.Support;

/// <summary>
/// Condition and maintenance payloads as the gateway produces them: a real <see cref="ConditionMonitor"/> fed a growing
/// vibration until its alarm raises and clears, and real <see cref="MaintenanceCounters"/> run until due, then reset.
/// Each payload's <c>ts</c> is the engine time the gateway publishes it at (a window's end, an event's time, the
/// counters' last observation), from <see cref="Samples.Now"/> on: a historian stores them at distinct, fixed times.
/// </summary>
public static class ConditionSamples
{
    public static readonly ConditionDefinition Vibration = new()
    {
        SampleRate = 200,
        Window = TimeSpan.FromSeconds(1),
        Input = ConditionInput.Velocity,
        HighPassHz = 10,
        IsoClass = IsoMachineClass.II,
        BaselineWarmupWindows = 5,
        Bands = [new BandDefinition { Name = "1x", LowHz = 20, HighHz = 30 }, new BandDefinition { Name = "bearing", LowHz = 60, HighHz = 90 }],
        Trend = new TrendDefinition { Feature = "velocityRms", Window = TimeSpan.FromMinutes(1), Threshold = 7.1 },
        Alarms = [new AlarmDefinition { Name = "zone-c", Feature = "velocityRms", Raise = 2.8, Clear = 2.5, Severity = AlarmSeverity.Critical }],
    };

    public static readonly IReadOnlyList<MaintenanceDefinition> Items =
    [
        new() { Item = "lubrication", EveryHours = 1 },
        new() { Item = "die-change", EveryCycles = 100, EveryStarts = 10, Grace = 0.2 },
    ];

    /// <summary>The vibration windows, alarms and maintenance of one machine.</summary>
    public static IEnumerable<OutgoingMessage> All(MachineTopics m) => VibrationWindows(m, "vibration", Vibration).Concat(Maintenance(m));

    /// <summary>
    /// 40 windows of a 24.7 Hz line on <paramref name="signal"/>: 2 mm/s, then 3.5 mm/s (the zone-c alarm raises),
    /// then 2 mm/s again (cleared). Published: the first scored window, one at 3.5 mm/s, the last; the alarm events;
    /// the alarms list while raised and once cleared. <paramref name="definition"/> picks e.g. the ISO class.
    /// </summary>
    public static IEnumerable<OutgoingMessage> VibrationWindows(MachineTopics m, string signal, ConditionDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(m);
        ArgumentNullException.ThrowIfNull(definition);
        var start = Samples.Now;
        var monitor = new ConditionMonitor(m.MachineId, signal, definition);
        var alarmEvents = new List<AlarmEvent>();
        ConditionSnapshot? scored = null;
        ConditionSnapshot? rising = null;
        for (var i = 0; i < 200 * 40; i++)
        {
            var t = i / 200.0;
            var rms = t is >= 20 and < 30 ? 3.5 : 2.0;
            var value = Math.Sqrt(2) * rms * Math.Sin(2 * Math.PI * 24.7 * t);
            if (monitor.Observe(new Signal(0, value, start.AddSeconds(t)), machineRunning: true) && monitor.Latest!.AnomalyScore is not null)
            {
                scored ??= monitor.Latest;
                if (t >= 25 && rising is null)
                {
                    rising = monitor.Latest;
                }
            }

            alarmEvents.AddRange(monitor.TakeEvents());
        }

        var active = new ActiveAlarm
        {
            Machine = m.MachineId, Signal = signal, Alarm = "zone-c", Severity = AlarmSeverity.Critical, Feature = "velocityRms",
            Value = 3.5, Threshold = 2.8, Since = start.AddSeconds(21),
        };
        foreach (var window in new[] { scored!, rising!, monitor.Latest! })
        {
            yield return OutgoingMessage.Json(m.Condition(signal), MessageKind.Snapshot,
                ConditionPayloads.Condition(window, definition, "mm/s", window.Features.WindowEnd), PayloadJsonContext.Default.ConditionPayload);
        }

        foreach (var e in alarmEvents)
        {
            yield return OutgoingMessage.Json(m.Events, MessageKind.Event, ConditionPayloads.AlarmEvent(e, e.At), PayloadJsonContext.Default.EventPayload);
        }

        yield return OutgoingMessage.Json(m.Alarms, MessageKind.Snapshot, ConditionPayloads.Alarms(m.MachineId, [active], active.Since),
            PayloadJsonContext.Default.AlarmsPayload);
        yield return OutgoingMessage.Json(m.Alarms, MessageKind.Snapshot, ConditionPayloads.Alarms(m.MachineId, [], alarmEvents[^1].At),
            PayloadJsonContext.Default.AlarmsPayload);
    }

    /// <summary>
    /// Twelve runs of 6 min with 11 cycles each, then a reset of die-change: lubrication (every 1 h) goes due and
    /// overdue, die-change (every 100 cycles or 10 starts) due and overdue, then back to zero. As the gateway does, the
    /// counters are published after every run (its periodic refresh) and after each batch of events.
    /// </summary>
    public static IEnumerable<OutgoingMessage> Maintenance(MachineTopics m)
    {
        ArgumentNullException.ThrowIfNull(m);
        var start = Samples.Now;
        var counters = new MaintenanceCounters(m.MachineId, Items);
        var events = new List<MaintenanceEvent>();
        for (var i = 0; i < 12; i++)
        {
            var stopped = start.AddMinutes((i * 10) + 6);
            counters.Observe(true, start.AddMinutes(i * 10));
            counters.AddCycles(11, start.AddMinutes((i * 10) + 5));
            counters.Observe(false, stopped);
            events.AddRange(counters.TakeEvents());
            foreach (var message in Publish(m, counters, events, stopped))
            {
                yield return message;
            }

            events.Clear();
        }

        var reset = start.AddHours(3);
        events.Add(counters.Reset("die-change", "badge-17", reset));
        foreach (var message in Publish(m, counters, events, reset))
        {
            yield return message;
        }
    }

    private static IEnumerable<OutgoingMessage> Publish(MachineTopics m, MaintenanceCounters counters, List<MaintenanceEvent> events, DateTimeOffset now)
    {
        foreach (var e in events)
        {
            yield return OutgoingMessage.Json(m.Events, MessageKind.Event, ConditionPayloads.MaintenanceEvent(e, e.At),
                PayloadJsonContext.Default.EventPayload);
        }

        yield return OutgoingMessage.Json(m.Maintenance, MessageKind.Snapshot, ConditionPayloads.Maintenance(counters, Items, now),
            PayloadJsonContext.Default.MaintenancePayload);
    }
}
