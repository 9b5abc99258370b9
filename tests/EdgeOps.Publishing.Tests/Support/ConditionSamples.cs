using EdgeOps.Core.Condition;
using EdgeOps.Core.Condition.Alarms;
using EdgeOps.Core.Condition.Maintenance;
using EdgeOps.Core.Model;
using EdgeOps.Core.Signals;
using EdgeOps.Publishing.Mqtt;
using EdgeOps.Publishing.Mqtt.Condition;
using EdgeOps.Publishing.Mqtt.Payloads;
using EdgeOps.Publishing.Outbox;

namespace EdgeOps.Publishing.Tests.Support;

/// <summary>
/// Condition and maintenance payloads as the gateway produces them: a real <see cref="ConditionMonitor"/> fed a growing
/// vibration until its alarm raises and clears, and real <see cref="MaintenanceCounters"/> run until due, then reset.
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

    public static IEnumerable<OutgoingMessage> All(MachineTopics m)
    {
        var start = Samples.Now;
        var monitor = new ConditionMonitor(m.MachineId, "vibration", Vibration);
        var alarmEvents = new List<AlarmEvent>();
        ConditionSnapshot? scored = null;
        ConditionSnapshot? rising = null;
        // 40 windows of a 24.7 Hz line: 2 mm/s, then 3.5 mm/s (zone C, alarm), then 2 mm/s again (cleared).
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
            Machine = m.MachineId, Signal = "vibration", Alarm = "zone-c", Severity = AlarmSeverity.Critical, Feature = "velocityRms",
            Value = 3.5, Threshold = 2.8, Since = start.AddSeconds(21),
        };
        yield return OutgoingMessage.Json(m.Condition("vibration"), MessageKind.Snapshot,
            ConditionPayloads.Condition(scored!, Vibration, "mm/s", DateTimeOffset.UtcNow), PayloadJsonContext.Default.ConditionPayload);
        yield return OutgoingMessage.Json(m.Condition("vibration"), MessageKind.Snapshot,
            ConditionPayloads.Condition(rising!, Vibration, "mm/s", DateTimeOffset.UtcNow), PayloadJsonContext.Default.ConditionPayload);
        yield return OutgoingMessage.Json(m.Condition("vibration"), MessageKind.Snapshot,
            ConditionPayloads.Condition(monitor.Latest!, Vibration, "mm/s", DateTimeOffset.UtcNow), PayloadJsonContext.Default.ConditionPayload);
        foreach (var e in alarmEvents)
        {
            yield return OutgoingMessage.Json(m.Events, MessageKind.Event, ConditionPayloads.AlarmEvent(e, DateTimeOffset.UtcNow), PayloadJsonContext.Default.EventPayload);
        }

        yield return OutgoingMessage.Json(m.Alarms, MessageKind.Snapshot, ConditionPayloads.Alarms(m.MachineId, [active], DateTimeOffset.UtcNow),
            PayloadJsonContext.Default.AlarmsPayload);
        yield return OutgoingMessage.Json(m.Alarms, MessageKind.Snapshot, ConditionPayloads.Alarms(m.MachineId, [], DateTimeOffset.UtcNow),
            PayloadJsonContext.Default.AlarmsPayload);

        var counters = new MaintenanceCounters(m.MachineId, Items);
        for (var i = 0; i < 12; i++)
        {
            counters.Observe(true, start.AddMinutes(i * 10));
            counters.AddCycles(11, start.AddMinutes((i * 10) + 5));
            counters.Observe(false, start.AddMinutes((i * 10) + 6));
        }

        var events = counters.TakeEvents().ToList();
        events.Add(counters.Reset("die-change", "badge-17", start.AddHours(3)));
        yield return OutgoingMessage.Json(m.Maintenance, MessageKind.Snapshot, ConditionPayloads.Maintenance(counters, Items, DateTimeOffset.UtcNow),
            PayloadJsonContext.Default.MaintenancePayload);
        foreach (var e in events)
        {
            yield return OutgoingMessage.Json(m.Events, MessageKind.Event, ConditionPayloads.MaintenanceEvent(e, DateTimeOffset.UtcNow),
                PayloadJsonContext.Default.EventPayload);
        }
    }
}
