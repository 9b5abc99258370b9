namespace EdgeOps.Core.Signals;

/// <summary>
/// One observation from a source: a value for one configured signal at one instant.
/// A value type; only text values (an order id from an OPC UA string node) carry a reference, so moving numeric signals
/// through channels and the engine allocates nothing.
/// </summary>
/// <param name="Handle">Index of the signal in the line's <see cref="SignalCatalog"/>; resolved once at start-up.</param>
/// <param name="Value">Counts: the pulse increment (pulse) or the absolute counter value (totalizer). Booleans: 0 or 1. Codes and analog: the value.</param>
/// <param name="Timestamp">When the value was true: the source's own timestamp when it gave one, otherwise the moment the gateway received it (UTC).</param>
/// <param name="Quality">Bad quality marks the signal stale; it never counts as a value.</param>
/// <param name="Text">A text value (role <c>order</c> or <c>product</c> from a string node); null for numbers.</param>
/// <param name="SourceTimestamped">True when <paramref name="Timestamp"/> came from the source (PLC, edge interrupt) rather than arrival time.</param>
public readonly record struct Signal(
    int Handle,
    double Value,
    DateTimeOffset Timestamp,
    SignalQuality Quality = SignalQuality.Good,
    bool SourceTimestamped = false,
    string? Text = null);
