namespace EdgeOps.Ingest;

/// <summary>The envelope members the scan treats apart from the fields; each may appear once.</summary>
[Flags]
internal enum EnvelopeMembers
{
    None = 0,
    Schema = 1,
    Ts = 2,
    Signal = 4,
    ReasonCode = 8,
    Reason = 16,

    /// <summary>When an event happened, and a field as well.</summary>
    At = 32,

    /// <summary>The event's nanoseconds, and a field as well.</summary>
    Seq = 64,

    /// <summary><c>sourceTs</c>, <c>machine</c>, <c>gatewayId</c>: envelope, or repeated by the topic; not fields.</summary>
    Skipped = 128,
}

/// <summary>The members of an array element (a child point) that name or tag it; each may appear once.</summary>
[Flags]
internal enum ItemMembers
{
    None = 0,
    Code = 1,
    ReasonCode = 2,
    Reason = 4,
    Item = 8,
    Alarm = 16,
    Signal = 32,
}

/// <summary>Member names to flags, on the raw UTF-8 name.</summary>
internal static class Members
{
    public static EnvelopeMembers Envelope(ReadOnlySpan<byte> name) => name.Length switch
    {
        2 when name.SequenceEqual("ts"u8) => EnvelopeMembers.Ts,
        2 when name.SequenceEqual("at"u8) => EnvelopeMembers.At,
        3 when name.SequenceEqual("seq"u8) => EnvelopeMembers.Seq,
        6 when name.SequenceEqual("schema"u8) => EnvelopeMembers.Schema,
        6 when name.SequenceEqual("signal"u8) => EnvelopeMembers.Signal,
        6 when name.SequenceEqual("reason"u8) => EnvelopeMembers.Reason,
        7 when name.SequenceEqual("machine"u8) => EnvelopeMembers.Skipped,
        8 when name.SequenceEqual("sourceTs"u8) => EnvelopeMembers.Skipped,
        9 when name.SequenceEqual("gatewayId"u8) => EnvelopeMembers.Skipped,
        10 when name.SequenceEqual("reasonCode"u8) => EnvelopeMembers.ReasonCode,
        _ => EnvelopeMembers.None,
    };

    public static ItemMembers Item(ReadOnlySpan<byte> name) => name.Length switch
    {
        4 when name.SequenceEqual("code"u8) => ItemMembers.Code,
        10 when name.SequenceEqual("reasonCode"u8) => ItemMembers.ReasonCode,
        6 when name.SequenceEqual("reason"u8) => ItemMembers.Reason,
        4 when name.SequenceEqual("item"u8) => ItemMembers.Item,
        5 when name.SequenceEqual("alarm"u8) => ItemMembers.Alarm,
        6 when name.SequenceEqual("signal"u8) => ItemMembers.Signal,
        _ => ItemMembers.None,
    };
}
