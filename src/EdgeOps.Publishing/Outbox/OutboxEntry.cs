namespace EdgeOps.Publishing.Outbox;

/// <summary>One queued message as the scheduler sees it. Mutable, guarded by the outbox's lock.</summary>
internal sealed class OutboxEntry
{
    public required long Id { get; init; }

    public required string Topic { get; init; }

    public required long Seq { get; init; }

    public required MessageKind Kind { get; init; }

    public required bool Retain { get; init; }

    public required long CreatedUnixMs { get; init; }

    /// <summary>Bytes counted against the bound: payload, topic and a fixed row overhead.</summary>
    public required int Size { get; init; }

    /// <summary>The payload, or null while it lives only in the file.</summary>
    public byte[]? Payload { get; set; }

    public OutboxEntryState State { get; set; }

    /// <summary>True while it waits in the rate-limited backlog rather than the live queue.</summary>
    public bool InBacklog { get; set; }

    public LinkedListNode<OutboxEntry>? PendingNode { get; set; }

    public LinkedListNode<OutboxEntry>? KindNode { get; set; }

    public const int RowOverhead = 48;

    public static int SizeOf(string topic, int payloadLength) =>
        payloadLength + System.Text.Encoding.UTF8.GetByteCount(topic) + RowOverhead;
}

internal enum OutboxEntryState
{
    Queued,
    InFlight,
    Acked,
    Dropped,
}
