using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace EdgeOps.Publishing.Outbox;

/// <summary>
/// One message for the broker. The payload is produced only once the outbox has assigned the topic's next
/// <c>seq</c>, so the number inside the JSON is the one that was made durable with it.
/// </summary>
public sealed class OutgoingMessage
{
    private readonly Func<long, byte[]>? _payloadForSeq;
    private readonly byte[]? _payload;

    /// <summary>Creates a message whose payload is rendered for a given seq.</summary>
    public OutgoingMessage(string topic, MessageKind kind, bool retain, Func<long, byte[]> payloadForSeq)
        : this(topic, kind, retain, payloadForSeq ?? throw new ArgumentNullException(nameof(payloadForSeq)), payload: null)
    {
    }

    /// <summary>
    /// A message whose payload is final and carries no seq of the outbox's (the Sparkplug session numbers its messages
    /// when it sends them): no render delegate per message, and <see cref="FixedSeq"/> 0 so the outbox neither counts
    /// nor persists a seq for its topic.
    /// </summary>
    internal OutgoingMessage(string topic, MessageKind kind, bool retain, byte[] payload)
        : this(topic, kind, retain, payloadForSeq: null, payload ?? throw new ArgumentNullException(nameof(payload)))
    {
        FixedSeq = 0;
    }

    private OutgoingMessage(string topic, MessageKind kind, bool retain, Func<long, byte[]>? payloadForSeq, byte[]? payload)
    {
        ArgumentException.ThrowIfNullOrEmpty(topic);
        Topic = topic;
        Kind = kind;
        Retain = retain;
        _payloadForSeq = payloadForSeq;
        _payload = payload;
    }

    /// <summary>Full topic name.</summary>
    public string Topic { get; }

    /// <summary>What it is (drop policy).</summary>
    public MessageKind Kind { get; }

    /// <summary>Whether the broker keeps it as the topic's retained message.</summary>
    public bool Retain { get; }

    /// <summary>A seq the caller reserved with <see cref="DurableOutbox.ReserveSeqs"/> (the birth, whose last will takes the next one).</summary>
    public long? FixedSeq { get; init; }

    /// <summary>Renders the payload with <paramref name="seq"/> in it.</summary>
    public byte[] RenderPayload(long seq) => _payload ?? _payloadForSeq!(seq);

    /// <summary>A JSON payload record: its <c>seq</c> is replaced by the outbox's number for the topic.</summary>
    public static OutgoingMessage Json<T>(string topic, MessageKind kind, T payload, JsonTypeInfo<T> typeInfo, long? fixedSeq = null)
        where T : Contract.Payloads.PayloadBase
    {
        ArgumentNullException.ThrowIfNull(payload);
        var retain = kind is MessageKind.Snapshot or MessageKind.Status;
        return new OutgoingMessage(topic, kind, retain,
            seq => JsonSerializer.SerializeToUtf8Bytes((T)(payload with { Seq = seq }), typeInfo))
        {
            FixedSeq = fixedSeq,
        };
    }
}
