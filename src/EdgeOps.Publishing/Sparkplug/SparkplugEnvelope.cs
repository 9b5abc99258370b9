using System.Buffers.Binary;
using System.Text;
using EdgeOps.Contract.Sparkplug;

namespace EdgeOps.Publishing.Sparkplug;

/// <summary>What a queued Sparkplug message is: data may be sent late (as historical), births and deaths only in their session.</summary>
internal enum SparkplugEntryKind : byte
{
    Data = 0,
    DeviceBirth = 1,
    DeviceDeath = 2,
}

/// <summary>
/// How a Sparkplug message sits in the durable outbox: the real topic and the session it was made in travel inside the
/// stored payload, and every message of the node is queued under one outbox topic. The outbox keeps order per topic, and
/// a Sparkplug host checks order across the whole node (seq, a DDEATH after the last DDATA), so one queue it must be.
/// </summary>
/// <remarks>
/// Layout written now (the trailer layout): payload, <see cref="SeqReserve"/> spare bytes, topic (UTF-8), session (4),
/// topic length (2), kind (1). The payload is encoded straight into the stored array at offset 0, so queueing a message
/// is one array and no copy; at send time the session writes the payload's <c>seq</c> into the spare bytes and
/// publishes a slice of the same array, so sending is no copy either.
/// Rows queued by earlier versions (the header layout) are still read: kind (1 byte; bit 7 set when a seq reserve
/// follows the payload), session (4), topic length (2), topic, payload, then the spare bytes if flagged; those without
/// spare bytes get a copy with the seq appended. The layouts tell themselves apart by the first byte: a header's is a
/// kind (0-2, bit 7 maybe set), a payload's is the tag of a field of 1-5 (0x08-0x2D); an empty payload, which has no
/// first byte of its own, is written in the header layout.
/// </remarks>
internal readonly record struct SparkplugEnvelope(SparkplugEntryKind Kind, int Session, string Topic, ReadOnlyMemory<byte> Payload, int ReserveOffset)
{
    /// <summary>Protobuf tag of <c>seq</c> (field 3, varint) and at most two varint bytes for 0-255.</summary>
    public const int SeqReserve = 3;

    private const int Header = 1 + 4 + 2;
    private const int Trailer = 4 + 2 + 1;
    private const byte ReserveFlag = 0x80;

    /// <summary>Encodes <paramref name="payload"/> into a new stored envelope (one array: payload, spare bytes, topic, session, kind).</summary>
    public static byte[] Wrap(SparkplugEntryKind kind, int session, string topic, SparkplugPayload payload)
    {
        var size = SparkplugCodec.Size(payload);
        var topicLength = Encoding.UTF8.GetByteCount(topic);
        if (size == 0)
        {
            return WrapHeader(kind, session, topic, [], reserve: true);
        }

        var bytes = new byte[size + SeqReserve + topicLength + Trailer];
        SparkplugCodec.Encode(payload, size, bytes);
        var at = size + SeqReserve;
        Encoding.UTF8.GetBytes(topic, bytes.AsSpan(at, topicLength));
        at += topicLength;
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(at), session);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(at + 4), checked((ushort)topicLength));
        bytes[at + 6] = (byte)kind;
        return bytes;
    }

    /// <summary>
    /// The header layout of earlier versions (<paramref name="reserve"/>: with the spare bytes after the payload, as the
    /// version before this one wrote it). Written now only for an empty payload; tests write it to show old rows are read.
    /// </summary>
    public static byte[] WrapHeader(SparkplugEntryKind kind, int session, string topic, ReadOnlySpan<byte> payload, bool reserve)
    {
        var topicLength = Encoding.UTF8.GetByteCount(topic);
        var bytes = new byte[Header + topicLength + payload.Length + (reserve ? SeqReserve : 0)];
        bytes[0] = (byte)((byte)kind | (reserve ? ReserveFlag : 0));
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(1), session);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(5), checked((ushort)topicLength));
        Encoding.UTF8.GetBytes(topic, bytes.AsSpan(Header));
        payload.CopyTo(bytes.AsSpan(Header + topicLength));
        return bytes;
    }

    /// <summary>Reads a stored envelope; <paramref name="topics"/> turns the topic bytes into a string (a cache of the node's few topics).</summary>
    public static SparkplugEnvelope Unwrap(byte[] bytes, Func<ReadOnlySpan<byte>, string>? topics = null)
    {
        if (bytes.Length == 0)
        {
            throw new FormatException("empty Sparkplug outbox row");
        }

        if ((bytes[0] & ~ReserveFlag) <= (byte)SparkplugEntryKind.DeviceDeath)
        {
            var headerTopicLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(5));
            var hasReserve = (bytes[0] & ReserveFlag) != 0;
            var payloadStart = Header + headerTopicLength;
            var payloadLength = bytes.Length - payloadStart - (hasReserve ? SeqReserve : 0);
            return new SparkplugEnvelope((SparkplugEntryKind)(bytes[0] & ~ReserveFlag), BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(1)),
                TopicOf(bytes.AsSpan(Header, headerTopicLength), topics), bytes.AsMemory(payloadStart, payloadLength),
                hasReserve ? payloadStart + payloadLength : -1);
        }

        var trailer = bytes.Length - Trailer;
        var topicLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(trailer + 4));
        var topicStart = trailer - topicLength;
        var size = topicStart - SeqReserve;
        return new SparkplugEnvelope((SparkplugEntryKind)bytes[^1], BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(trailer)),
            TopicOf(bytes.AsSpan(topicStart, topicLength), topics), bytes.AsMemory(0, size), size);
    }

    /// <summary>
    /// The payload with <c>seq</c> = <paramref name="seq"/>: written into the stored array's spare bytes and returned as a
    /// slice of it (protobuf readers take fields in any order), or a copy for a row stored without them.
    /// </summary>
    public static ArraySegment<byte> WithSeq(byte[] stored, in SparkplugEnvelope envelope, byte seq)
    {
        if (envelope.ReserveOffset < 0)
        {
            return SparkplugCodec.WithSeq(envelope.Payload.Span, seq);
        }

        var length = SparkplugCodec.WriteSeq(stored.AsSpan(envelope.ReserveOffset, SeqReserve), seq);
        return new ArraySegment<byte>(stored, envelope.ReserveOffset - envelope.Payload.Length, envelope.Payload.Length + length);
    }

    private static string TopicOf(ReadOnlySpan<byte> utf8, Func<ReadOnlySpan<byte>, string>? topics) =>
        topics is null ? Encoding.UTF8.GetString(utf8) : topics(utf8);
}
