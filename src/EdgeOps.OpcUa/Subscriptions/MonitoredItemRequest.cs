using EdgeOps.OpcUa.Client;
using EdgeOps.OpcUa.Types;

namespace EdgeOps.OpcUa.Subscriptions;

/// <summary>
/// A value to monitor, identified by the caller's <see cref="ClientHandle"/> (server ids change across recoveries;
/// handles never do). Give either <see cref="NodeId"/> (bound by <see cref="NamespaceUri"/> when set) or
/// <see cref="BrowsePath"/> (resolved again after every recreate, since a PLC download can change node ids).
/// </summary>
public sealed record MonitoredItemRequest
{
    /// <summary>The caller's key for this item; values carry it.</summary>
    public required uint ClientHandle { get; init; }

    /// <summary>The node, or null when <see cref="BrowsePath"/> names it.</summary>
    public NodeId? NodeId { get; init; }

    /// <summary>Namespace URI of <see cref="NodeId"/>: its index is looked up in the server's NamespaceArray.</summary>
    public string? NamespaceUri { get; init; }

    /// <summary>A browse path to the node, or null.</summary>
    public BrowsePathSpec? BrowsePath { get; init; }

    /// <summary>How often the server samples the value.</summary>
    public TimeSpan SamplingInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Values the server queues between publishes (so fast counters lose no change).</summary>
    public uint QueueSize { get; init; } = 10;

    /// <summary>Deadband filter kind.</summary>
    public DeadbandKind Deadband { get; init; }

    /// <summary>Deadband size (engineering units or percent).</summary>
    public double DeadbandValue { get; init; }

    /// <summary>Text for messages: the node id or the path.</summary>
    public string Describe() => BrowsePath?.ToString() ?? (NamespaceUri is null ? NodeId?.ToString() : $"nsu={NamespaceUri};{NodeId}") ?? "(none)";
}

/// <summary>The outcome of creating one monitored item.</summary>
/// <param name="ClientHandle">The caller's handle.</param>
/// <param name="NodeId">The node it resolved to, or null.</param>
/// <param name="Status">Good, or why the item is not monitored (e.g. BadNodeIdUnknown).</param>
/// <param name="RevisedSamplingInterval">The sampling interval the server chose.</param>
public sealed record MonitoredItemResult(uint ClientHandle, NodeId? NodeId, StatusCode Status, TimeSpan RevisedSamplingInterval);

/// <summary>
/// A value change of one monitored item: a flat struct (the client handle and the DataValue's fields) so that the
/// publish path decodes notifications straight into a pooled array of these and a numeric change allocates nothing.
/// </summary>
public readonly record struct MonitoredItemValue
{
    /// <summary>A value change.</summary>
    public MonitoredItemValue(uint clientHandle, Variant value, StatusCode status = default, DateTime? sourceTimestamp = null,
        DateTime? serverTimestamp = null)
    {
        ClientHandle = clientHandle;
        Value = value;
        Status = status;
        SourceTimestamp = sourceTimestamp;
        ServerTimestamp = serverTimestamp;
    }

    /// <summary>The item's client handle.</summary>
    public uint ClientHandle { get; init; }

    /// <summary>The value (numbers are held without boxing).</summary>
    public Variant Value { get; init; }

    /// <summary>The status; Good when the server sent none.</summary>
    public StatusCode Status { get; init; }

    /// <summary>When the source (PLC) sampled the value, or null.</summary>
    public DateTime? SourceTimestamp { get; init; }

    /// <summary>When the server received the value, or null.</summary>
    public DateTime? ServerTimestamp { get; init; }

    /// <summary>10 ps units beyond <see cref="SourceTimestamp"/>.</summary>
    public ushort SourcePicoseconds { get; init; }

    /// <summary>10 ps units beyond <see cref="ServerTimestamp"/>.</summary>
    public ushort ServerPicoseconds { get; init; }

    /// <summary>The value, status and timestamps as a <see cref="DataValue"/> (allocates).</summary>
    public DataValue ToDataValue() => new(Value)
    {
        Status = Status,
        SourceTimestamp = SourceTimestamp,
        SourcePicoseconds = SourcePicoseconds,
        ServerTimestamp = ServerTimestamp,
        ServerPicoseconds = ServerPicoseconds,
    };

    /// <inheritdoc />
    public override string ToString() => Status.IsGood ? $"{ClientHandle}: {Value}" : $"{ClientHandle}: {Value} [{Status}]";
}
