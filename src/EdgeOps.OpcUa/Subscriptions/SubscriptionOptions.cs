using EdgeOps.OpcUa.Types;

namespace EdgeOps.OpcUa.Subscriptions;

/// <summary>Parameters of a subscription; the server may revise them (the revised values are used).</summary>
public sealed record SubscriptionOptions
{
    /// <summary>How often the server sends notifications.</summary>
    public TimeSpan PublishingInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Publishing intervals without data before the server sends a keep-alive.</summary>
    public uint KeepAliveCount { get; set; } = 10;

    /// <summary>Publishing intervals without a publish request before the server drops the subscription (≥ 3 × keep-alive).</summary>
    public uint LifetimeCount { get; set; } = 60;

    /// <summary>Notifications per publish response; 0 = no limit.</summary>
    public uint MaxNotificationsPerPublish { get; set; }

    /// <summary>Values buffered for the consumer before the publish pipeline waits (back-pressure, never drops).</summary>
    public int ValueBufferCapacity { get; set; } = 200_000;

    /// <summary>
    /// The fast path for high rates: when set, every DataChangeNotification's values are handed to this handler as
    /// one batch, in order, on the publish pipeline, instead of going through <see cref="OpcUaSubscription.Values"/>
    /// (which then stays empty). The memory is a pooled buffer, valid only until the returned task completes: copy
    /// what you keep. The next batch waits for the handler (back-pressure, nothing dropped), so keep it short and
    /// never block in it.
    /// </summary>
    public MonitoredItemValuesHandler? ValueHandler { get; set; }
}

/// <summary>Receives a batch of value changes; see <see cref="SubscriptionOptions.ValueHandler"/>.</summary>
/// <param name="values">The values of one notification, in the order the server sent them; valid only during the call.</param>
/// <param name="cancellationToken">Cancelled when the client is disposed.</param>
public delegate ValueTask MonitoredItemValuesHandler(ReadOnlyMemory<MonitoredItemValue> values, CancellationToken cancellationToken);

/// <summary>What a deadband filter compares.</summary>
public enum DeadbandKind
{
    /// <summary>Every change is reported.</summary>
    None = 0,
    /// <summary>A change smaller than the value (in engineering units) is ignored.</summary>
    Absolute = 1,
    /// <summary>A change smaller than the value (percent of the EURange) is ignored.</summary>
    Percent = 2,
}

/// <summary>The server ended a subscription with a StatusChangeNotification (Part 4 §7.20.4).</summary>
/// <param name="Subscription">The subscription concerned; the client recreates it with the same client handles.</param>
/// <param name="Status">BadTimeout (its lifetime ran out), GoodSubscriptionTransferred (another session took it), or another code.</param>
public sealed record SubscriptionStatusChange(OpcUaSubscription Subscription, StatusCode Status);
