using System.Text.Json.Serialization;

namespace EdgeOps.Contract.Payloads;

/// <summary>
/// Fields every EdgeOps JSON payload carries (docs/mqtt-contract.md): the schema id, the topic's seq (monotonic across
/// restarts, assigned by the outbox), the publish time and, for values a source timestamped, the source time.
/// </summary>
public abstract record PayloadBase
{
    /// <summary>Schema id and version, e.g. <c>edgeops.state/1</c>; matches a file in docs/contract/schemas.</summary>
    [JsonPropertyOrder(-4)]
    public abstract string Schema { get; }

    /// <summary>Per-topic sequence number; set by the outbox when the message is queued.</summary>
    [JsonPropertyOrder(-3)]
    public long Seq { get; init; }

    /// <summary>When the gateway produced the payload (RFC 3339 UTC, milliseconds).</summary>
    [JsonPropertyOrder(-2)]
    public required DateTimeOffset Ts { get; init; }

    /// <summary>The source's own timestamp for the newest value in it, when the source gave one.</summary>
    [JsonPropertyOrder(-1)]
    public DateTimeOffset? SourceTs { get; init; }
}
