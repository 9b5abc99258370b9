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
internal readonly record struct SparkplugEnvelope(SparkplugEntryKind Kind, int Session, string Topic, ReadOnlyMemory<byte> Payload)
{
    private const int Header = 1 + 4 + 2;

    public static byte[] Wrap(SparkplugEntryKind kind, int session, string topic, ReadOnlySpan<byte> payload)
    {
        var topicLength = Encoding.UTF8.GetByteCount(topic);
        var bytes = new byte[Header + topicLength + payload.Length];
        bytes[0] = (byte)kind;
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(1), session);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(5), checked((ushort)topicLength));
        Encoding.UTF8.GetBytes(topic, bytes.AsSpan(Header));
        payload.CopyTo(bytes.AsSpan(Header + topicLength));
        return bytes;
    }

    public static SparkplugEnvelope Unwrap(byte[] bytes)
    {
        var topicLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(5));
        return new SparkplugEnvelope((SparkplugEntryKind)bytes[0], BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(1)),
            Encoding.UTF8.GetString(bytes, Header, topicLength), bytes.AsMemory(Header + topicLength));
    }
}
