using EdgeOps.Contract;
using EdgeOps.Core.Condition;
using EdgeOps.Core.Condition.Alarms;
using EdgeOps.Core.Condition.Maintenance;
using EdgeOps.Core.Engine;
using EdgeOps.Core.Model;
using EdgeOps.Contract.Payloads;
using EdgeOps.Publishing.Outbox;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeOps.Publishing.Mqtt.Condition;

/// <summary>
/// Condition monitoring and maintenance onto the topic tree of one line: <c>condition/{signal}</c> (retained, at the
/// rate the monitor allows), alarm and maintenance events on <c>events</c> (QoS 1, never dropped), the retained
/// <c>alarms</c> list and <c>maintenance</c> counters. Called from the engine loop; each call only writes to the outbox.
/// </summary>
public sealed class MqttConditionBridge : IConditionSink
{
    private readonly TimeProvider _time;
    private readonly string _site;
    private readonly string _area;
    private readonly string _line;
    private readonly Dictionary<string, MachineTopics> _topics = new(StringComparer.Ordinal);
    private readonly HeldWrites _writes;

    /// <summary>Publishes for the line <paramref name="site"/>/<paramref name="area"/>/<paramref name="line"/>.</summary>
    public MqttConditionBridge(MqttPublisher publisher, string site, string area, string line, TimeProvider time)
        : this(publisher, site, area, line, time, NullLogger<MqttConditionBridge>.Instance)
    {
    }

    /// <summary>
    /// Publishes for the line <paramref name="site"/>/<paramref name="area"/>/<paramref name="line"/>; outbox write
    /// failures go to <paramref name="logger"/>. Alarm and maintenance batches the outbox refuses are held and written in
    /// order later (they carry events); a refused condition window is skipped, the next window replaces it.
    /// </summary>
    public MqttConditionBridge(MqttPublisher publisher, string site, string area, string line, TimeProvider time,
        ILogger<MqttConditionBridge> logger)
    {
        ArgumentNullException.ThrowIfNull(publisher);
        _writes = new HeldWrites(publisher.Outbox, logger);
        _time = time;
        _site = site;
        _area = area;
        _line = line;
    }

    /// <summary>A window's features on <c>condition/{signal}</c>.</summary>
    public void Condition(ConditionSnapshot snapshot, ConditionDefinition definition, string? unit)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var payload = ConditionPayloads.Condition(snapshot, definition, unit, _time.GetUtcNow());
        if (_writes.WriteHeld())
        {
            _writes.TryWrite([OutgoingMessage.Json(Topics(snapshot.Machine).Condition(snapshot.Signal), MessageKind.Snapshot,
                payload, PayloadJsonContext.Default.ConditionPayload)]);
        }
    }

    /// <summary>Alarm raises and clears of one machine, then its retained list of raised alarms, in one batch.</summary>
    public void Alarms(string machine, IReadOnlyList<AlarmEvent> events, IEnumerable<ActiveAlarm> active)
    {
        ArgumentNullException.ThrowIfNull(events);
        var now = _time.GetUtcNow();
        var topics = Topics(machine);
        var batch = new List<OutgoingMessage>(events.Count + 1);
        foreach (var e in events)
        {
            batch.Add(OutgoingMessage.Json(topics.Events, MessageKind.Event, ConditionPayloads.AlarmEvent(e, now), PayloadJsonContext.Default.EventPayload));
        }

        batch.Add(OutgoingMessage.Json(topics.Alarms, MessageKind.Snapshot, ConditionPayloads.Alarms(machine, active, now),
            PayloadJsonContext.Default.AlarmsPayload));
        _writes.Hold(batch);
    }

    /// <summary>Maintenance events (due, overdue, reset) of one machine, then its retained counters, in one batch.</summary>
    public void Maintenance(MaintenanceCounters counters, IReadOnlyList<MaintenanceDefinition> items, IReadOnlyList<MaintenanceEvent> events)
    {
        ArgumentNullException.ThrowIfNull(counters);
        ArgumentNullException.ThrowIfNull(events);
        var now = _time.GetUtcNow();
        var topics = Topics(counters.Machine);
        var batch = new List<OutgoingMessage>(events.Count + 1);
        foreach (var e in events)
        {
            batch.Add(OutgoingMessage.Json(topics.Events, MessageKind.Event, ConditionPayloads.MaintenanceEvent(e, now),
                PayloadJsonContext.Default.EventPayload));
        }

        batch.Add(OutgoingMessage.Json(topics.Maintenance, MessageKind.Snapshot, ConditionPayloads.Maintenance(counters, items, now),
            PayloadJsonContext.Default.MaintenancePayload));
        _writes.Hold(batch);
    }

    private MachineTopics Topics(string machine)
    {
        if (!_topics.TryGetValue(machine, out var topics))
        {
            topics = MqttTopics.Machine(_site, _area, _line, machine);
            _topics[machine] = topics;
        }

        return topics;
    }
}
