using System.Text.Json;
using EdgeOps.Contract;
using EdgeOps.Core.Engine;
using EdgeOps.Core.Model;
using EdgeOps.Core.Engine.Events;
using EdgeOps.Contract.Payloads;
using EdgeOps.Publishing.Outbox;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeOps.Publishing.Mqtt.Engine;

/// <summary>
/// What the engine produces, onto the topic tree: events at once (QoS 1, never dropped); state whenever it changes;
/// counts and KPIs on change but at most once per <see cref="MqttOptions.MinKpiInterval"/> per machine (a held change
/// goes out when the interval has passed, so the last value always arrives); shift summaries when a shift closes or is
/// revised. Called from the engine loop (one thread); each call writes to the outbox and returns.
/// </summary>
/// <remarks>
/// A write the outbox refuses (disk full, I/O error) loses nothing: event batches stay queued here, in order, and are
/// written first on every later call (every snapshot tick, so at least once a second); a snapshot that was not written
/// is forgotten by the change detection and the throttle, so the newest state is written again on the next tick. Held
/// messages live in memory only: a restart while the outbox still cannot write loses them (the disk-space guard and
/// <see cref="HeldMessages"/> make that state visible long before). The engine loop is never stopped for it: counting
/// goes on, and the backlog is written the moment the outbox can write again.
/// </remarks>
public sealed class MqttEngineBridge : IEngineSink
{
    private readonly MqttPublisher _publisher;
    private readonly LineDefinition _line;
    private readonly TimeProvider _time;
    private readonly SnapshotThrottle<string> _throttle;
    private readonly Dictionary<string, string> _lastState = new(StringComparer.Ordinal);
    private readonly Dictionary<string, MachineTopics> _topics = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PayloadBase> _held = new(StringComparer.Ordinal);
    private readonly List<Action<string, byte[]>> _observers = [];
    private readonly HeldWrites _writes;

    /// <summary>
    /// Publishes <paramref name="line"/>'s snapshots and events through <paramref name="publisher"/> with its options'
    /// <see cref="MqttOptions.MinKpiInterval"/>.
    /// </summary>
    public MqttEngineBridge(MqttPublisher publisher, LineDefinition line, TimeSpan minKpiInterval, TimeProvider time)
        : this(publisher, line, minKpiInterval, time, NullLogger<MqttEngineBridge>.Instance)
    {
    }

    /// <summary>As above; outbox write failures and recoveries go to <paramref name="logger"/>.</summary>
    public MqttEngineBridge(MqttPublisher publisher, LineDefinition line, TimeSpan minKpiInterval, TimeProvider time, ILogger<MqttEngineBridge> logger)
    {
        ArgumentNullException.ThrowIfNull(publisher);
        ArgumentNullException.ThrowIfNull(line);
        _publisher = publisher;
        _line = line;
        _time = time;
        _writes = new HeldWrites(publisher.Outbox, logger);
        _throttle = new SnapshotThrottle<string>(minKpiInterval);
    }

    /// <summary>Event messages the outbox refused and that wait here for the next write (zero while the outbox writes).</summary>
    public int HeldMessages => _writes.Messages;

    /// <summary>A line snapshot (every engine tick).</summary>
    public void OnSnapshot(LineSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (!_writes.WriteHeld(Observe))
        {
            // The outbox still refuses writes: the snapshot would fail too, and its state is retaken next tick.
            return;
        }

        var now = _time.GetUtcNow();
        var batch = new List<OutgoingMessage>();
        foreach (var machine in snapshot.Machines)
        {
            var topics = Topics(snapshot.Site, snapshot.Area, snapshot.Line, machine.MachineId);
            var state = EnginePayloads.State(machine, now);
            var stateKey = Key(state with { Ts = default, SourceTs = null }, PayloadJsonContext.Default.StatePayload);
            if (!_lastState.TryGetValue(topics.State, out var previous) || previous != stateKey)
            {
                _lastState[topics.State] = stateKey;
                batch.Add(OutgoingMessage.Json(topics.State, MessageKind.Snapshot, state, PayloadJsonContext.Default.StatePayload));
            }

            var counts = EnginePayloads.Counts(machine, now);
            if (_throttle.Offer(topics.Counts, Key(counts with { Ts = default, SourceTs = null }, PayloadJsonContext.Default.CountsPayload), now) is not null)
            {
                batch.Add(OutgoingMessage.Json(topics.Counts, MessageKind.Snapshot, counts, PayloadJsonContext.Default.CountsPayload));
            }

            var kpi = EnginePayloads.Kpi(machine, now);
            if (_throttle.Offer(topics.Kpi, Key(kpi with { Ts = default, SourceTs = null }, PayloadJsonContext.Default.KpiPayload), now) is not null)
            {
                batch.Add(OutgoingMessage.Json(topics.Kpi, MessageKind.Snapshot, kpi, PayloadJsonContext.Default.KpiPayload));
            }

            _held[topics.Counts] = counts;
            _held[topics.Kpi] = kpi;
            if (machine.Order is { LineScope: false } order)
            {
                OfferOrder(topics.Order, order, now, batch);
            }
        }

        if (snapshot.Order is { } lineOrder)
        {
            OfferOrder(Topics(snapshot.Site, snapshot.Area, snapshot.Line, MqttTopics.LineLevel).Order, lineOrder, now, batch);
        }

        // Changes held back by the interval whose time has come: publish the newest value.
        foreach (var (topic, _) in _throttle.Due(now))
        {
            switch (_held.GetValueOrDefault(topic))
            {
                case CountsPayload counts:
                    batch.Add(OutgoingMessage.Json(topic, MessageKind.Snapshot, counts with { Ts = now }, PayloadJsonContext.Default.CountsPayload));
                    break;
                case KpiPayload kpi:
                    batch.Add(OutgoingMessage.Json(topic, MessageKind.Snapshot, kpi with { Ts = now }, PayloadJsonContext.Default.KpiPayload));
                    break;
                case OrderPayload order:
                    batch.Add(OutgoingMessage.Json(topic, MessageKind.Snapshot, order with { Ts = now }, PayloadJsonContext.Default.OrderPayload));
                    break;
            }
        }

        if (batch.Count > 0 && _writes.TryWrite(batch) is { } seqs)
        {
            Observe(batch, seqs);
        }
        else if (batch.Count > 0)
        {
            // Not written: forget what the change detection and the throttle recorded for these topics, so the newest
            // state is written on the next tick instead of being taken as sent.
            foreach (var message in batch)
            {
                _lastState.Remove(message.Topic);
                _throttle.Forget(message.Topic);
            }
        }
    }

    /// <summary>An engine event of the bridge's line: published immediately (after any the outbox refused earlier).</summary>
    public void OnEvent(EngineEvent engineEvent) => OnEvent(engineEvent, _line.Site, _line.Area, _line.Line);

    /// <summary>An engine event: published immediately (after any the outbox refused earlier, which keep their order).</summary>
    public void OnEvent(EngineEvent engineEvent, string site, string area, string line)
    {
        ArgumentNullException.ThrowIfNull(engineEvent);
        var now = _time.GetUtcNow();
        var topics = Topics(site, area, line, engineEvent is OrderEvent { Record.LineScope: true } ? MqttTopics.LineLevel : engineEvent.MachineId);
        var batch = new List<OutgoingMessage>(2);
        if (EnginePayloads.Event(engineEvent, now) is { } payload)
        {
            batch.Add(OutgoingMessage.Json(topics.Events, MessageKind.Event, payload, PayloadJsonContext.Default.EventPayload));
        }

        var closed = engineEvent switch
        {
            ShiftClosedEvent e => e.Record,
            ShiftRevisedEvent e => e.Record,
            _ => null,
        };
        if (closed is not null)
        {
            batch.Add(OutgoingMessage.Json(topics.Shift, MessageKind.Snapshot, EnginePayloads.Shift(closed, now), PayloadJsonContext.Default.ShiftPayload));
        }

        if (engineEvent is OrderEvent orderEvent && (orderEvent.Change != OrderChange.Revised || IsLatestOrder(topics.Order, orderEvent)))
        {
            // The retained order topic follows every transition at once; a revision of an older order goes out as its
            // event only, so the topic keeps showing the order that runs.
            var order = EnginePayloads.Order(orderEvent.Record, now);
            _held[topics.Order] = order;
            _throttle.Forget(topics.Order);
            batch.Add(OutgoingMessage.Json(topics.Order, MessageKind.Snapshot, order, PayloadJsonContext.Default.OrderPayload));
        }

        if (batch.Count > 0)
        {
            _writes.Hold(batch, Observe);
        }
    }

    private bool IsLatestOrder(string topic, OrderEvent e) =>
        _held.GetValueOrDefault(topic) is OrderPayload { Order: { } current } && current.OrderId == e.Record.OrderId
        && current.Status == "completed";

    /// <summary>A running order's figures: on change, at most once per MinKpiInterval, like the KPIs.</summary>
    private void OfferOrder(string topic, Core.Orders.OrderRecord record, DateTimeOffset now, List<OutgoingMessage> batch)
    {
        var order = EnginePayloads.Order(record, now);
        if (_throttle.Offer(topic, Key(order with { Ts = default, SourceTs = null }, PayloadJsonContext.Default.OrderPayload), now) is not null)
        {
            batch.Add(OutgoingMessage.Json(topic, MessageKind.Snapshot, order, PayloadJsonContext.Default.OrderPayload));
        }

        _held[topic] = order;
    }

    /// <summary>
    /// Also hands every message this bridge queues to <paramref name="observer"/>, exactly as published (topic, payload
    /// with the seq the outbox gave it), after it is in the outbox: the gateway's edge-local InfluxDB writer. Called
    /// on the engine thread, so the observer must only enqueue. Register before the engine starts.
    /// </summary>
    public void AddObserver(Action<string, byte[]> observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        _observers.Add(observer);
    }

    private void Observe(List<OutgoingMessage> batch, IReadOnlyList<long> seqs)
    {
        if (_observers.Count == 0)
        {
            return;
        }

        for (var i = 0; i < batch.Count; i++)
        {
            // Rendering is deterministic: the same bytes the outbox stored for this seq.
            var payload = batch[i].RenderPayload(seqs[i]);
            foreach (var observer in _observers)
            {
                observer(batch[i].Topic, payload);
            }
        }
    }

    private MachineTopics Topics(string site, string area, string line, string machine)
    {
        var key = string.Join('/', site, area, line, machine);
        if (!_topics.TryGetValue(key, out var topics))
        {
            topics = MqttTopics.Machine(site, area, line, machine);
            _topics[key] = topics;
        }

        return topics;
    }

    private static string Key<T>(T payload, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) =>
        JsonSerializer.Serialize(payload, type);
}

