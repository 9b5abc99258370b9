using System.Buffers.Binary;
using System.Text;

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
/// Layout: kind (1 byte; bit 7 set when a seq reserve follows the payload), session (4), topic length (2), topic (UTF-8),
/// payload, then <see cref="SeqReserve"/> spare bytes. The session writes the payload's <c>seq</c> field into the spare
/// bytes at send time and publishes a slice of the stored array: no copy and no allocation per message on the send path.
/// Rows written without the reserve (before it existed) are still read; they get a copy with the seq appended.
/// </remarks>
internal readonly record struct SparkplugEnvelope(SparkplugEntryKind Kind, int Session, string Topic, ReadOnlyMemory<byte> Payload, bool HasReserve)
{
    /// <summary>Protobuf tag of <c>seq</c> (field 3, varint) and at most two varint bytes for 0-255.</summary>
    public const int SeqReserve = 3;

    private const int Header = 1 + 4 + 2;
    private const byte ReserveFlag = 0x80;

    public static byte[] Wrap(SparkplugEntryKind kind, int session, string topic, ReadOnlySpan<byte> payload)
    {
        var topicLength = Encoding.UTF8.GetByteCount(topic);
        var bytes = new byte[Header + topicLength + payload.Length + SeqReserve];
        bytes[0] = (byte)((byte)kind | ReserveFlag);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(1), session);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(5), checked((ushort)topicLength));
        Encoding.UTF8.GetBytes(topic, bytes.AsSpan(Header));
        payload.CopyTo(bytes.AsSpan(Header + topicLength));
        return bytes;
    }

    /// <summary>Reads a stored envelope; <paramref name="topics"/> turns the topic bytes into a string (a cache of the node's few topics).</summary>
    public static SparkplugEnvelope Unwrap(byte[] bytes, Func<ReadOnlySpan<byte>, string>? topics = null)
    {
        var topicLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(5));
        var hasReserve = (bytes[0] & ReserveFlag) != 0;
        var payloadStart = Header + topicLength;
        var payloadLength = bytes.Length - payloadStart - (hasReserve ? SeqReserve : 0);
        var topicBytes = bytes.AsSpan(Header, topicLength);
        return new SparkplugEnvelope((SparkplugEntryKind)(bytes[0] & ~ReserveFlag), BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(1)),
            topics is null ? Encoding.UTF8.GetString(topicBytes) : topics(topicBytes), bytes.AsMemory(payloadStart, payloadLength), hasReserve);
    }

    /// <summary>
    /// The payload with <c>seq</c> = <paramref name="seq"/>: written into the stored array's reserve and returned as a
    /// slice of it (protobuf readers take fields in any order), or a copy for a row stored without the reserve.
    /// </summary>
    public static ArraySegment<byte> WithSeq(byte[] stored, in SparkplugEnvelope envelope, byte seq)
    {
        if (!envelope.HasReserve)
        {
            return Contract.Sparkplug.SparkplugCodec.WithSeq(envelope.Payload.Span, seq);
        }

        var end = stored.Length - SeqReserve;
        var length = Contract.Sparkplug.SparkplugCodec.WriteSeq(stored.AsSpan(end, SeqReserve), seq);
        return new ArraySegment<byte>(stored, end - envelope.Payload.Length, envelope.Payload.Length + length);
    }
}
