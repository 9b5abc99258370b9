using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace EdgeOps.Publishing.Outbox;

/// <summary>The publishing instruments on the product's one <c>Meter("EdgeOps")</c>, tagged with the gateway id.</summary>
internal static class PublishingMetrics
{
    private static readonly Meter Meter = new("EdgeOps");
    private static readonly ConcurrentDictionary<DurableOutbox, byte> Outboxes = new();

    public static readonly Counter<long> Dropped = Meter.CreateCounter<long>(
        "edgeops.outbox.dropped", "{message}", "Messages dropped from the outbox at its byte bound, by kind");

    public static readonly Counter<long> Reconnects = Meter.CreateCounter<long>(
        "edgeops.mqtt.reconnects", "{connection}", "Connections to the broker after the first");

    public static readonly Counter<long> Published = Meter.CreateCounter<long>(
        "edgeops.mqtt.published", "{message}", "Messages acknowledged by the broker (PUBACK)");

    static PublishingMetrics()
    {
        Meter.CreateObservableGauge("edgeops.outbox.depth",
            () => Outboxes.Keys.Select(o => new Measurement<long>(o.Count, new KeyValuePair<string, object?>("gateway", o.Owner))),
            "{message}", "Messages in the outbox not yet acknowledged");
        Meter.CreateObservableGauge("edgeops.outbox.oldest_age",
            () => Outboxes.Keys.Select(o => new Measurement<double>(o.OldestAge.TotalSeconds, new KeyValuePair<string, object?>("gateway", o.Owner))),
            "s", "Age of the oldest unacknowledged message");
    }

    public static void Register(DurableOutbox outbox) => Outboxes[outbox] = 0;

    public static void Unregister(DurableOutbox outbox) => Outboxes.TryRemove(outbox, out _);
}
