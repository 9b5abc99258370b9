using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace EdgeOps.Publishing.Outbox;

/// <summary>
/// The publishing area's instruments (outbox and MQTT client) on the meter <see cref="MeterName"/>, made through the
/// host's <see cref="IMeterFactory"/> so each host (and each test's host) has its own meter and disposes it with itself.
/// One per host: register it as a singleton and hand it to every <see cref="Mqtt.MqttPublisher"/>.
/// </summary>
public sealed class PublishingMetrics
{
    /// <summary>The meter of the publishing area (docs/operations.md lists every area's meter).</summary>
    public const string MeterName = "EdgeOps.Publishing";

    private readonly ConcurrentDictionary<DurableOutbox, byte> _outboxes = new();
    private readonly Counter<long> _dropped;
    private readonly Counter<long> _reconnects;
    private readonly Counter<long> _published;
    private readonly Histogram<double> _publishLatency;

    /// <summary>Creates the instruments on <paramref name="meters"/>' meter <see cref="MeterName"/>.</summary>
    public PublishingMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(MeterName);
        _dropped = meter.CreateCounter<long>("edgeops.outbox.dropped", "{message}",
            "Messages dropped from the outbox at its byte bound, by kind");
        _reconnects = meter.CreateCounter<long>("edgeops.mqtt.reconnects", "{connection}", "Connections to the broker after the first");
        _published = meter.CreateCounter<long>("edgeops.mqtt.published", "{message}", "Messages acknowledged by the broker (PUBACK)");
        // Outbox write to PUBACK. On a healthy LAN a few ms; a replayed backlog after an outage is minutes to hours old,
        // which the top buckets keep apart from a slow broker.
        _publishLatency = meter.CreateHistogram("edgeops.mqtt.publish_latency", "s",
            "Time from the outbox write to the broker's PUBACK (a replayed backlog includes its time on disk)",
            advice: new InstrumentAdvice<double>
            {
                HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10, 60, 600, 3600],
            });
        meter.CreateObservableGauge("edgeops.outbox.depth",
            () => _outboxes.Keys.Select(o => new Measurement<long>(o.Count, new KeyValuePair<string, object?>("gateway", o.Owner))),
            "{message}", "Messages in the outbox not yet acknowledged");
        meter.CreateObservableGauge("edgeops.outbox.oldest_age",
            () => _outboxes.Keys.Select(o => new Measurement<double>(o.OldestAge.TotalSeconds, new KeyValuePair<string, object?>("gateway", o.Owner))),
            "s", "Age of the oldest unacknowledged message");
    }

    internal void Register(DurableOutbox outbox) => _outboxes[outbox] = 0;

    internal void Unregister(DurableOutbox outbox) => _outboxes.TryRemove(outbox, out _);

    internal void Dropped(string kind, string gateway) =>
        _dropped.Add(1, new KeyValuePair<string, object?>("kind", kind), new KeyValuePair<string, object?>("gateway", gateway));

    internal void Reconnected(string gateway) => _reconnects.Add(1, new KeyValuePair<string, object?>("gateway", gateway));

    internal void Acknowledged(string gateway, TimeSpan sinceWritten)
    {
        var tag = new KeyValuePair<string, object?>("gateway", gateway);
        _published.Add(1, tag);
        _publishLatency.Record(Math.Max(0, sinceWritten.TotalSeconds), tag);
    }
}
