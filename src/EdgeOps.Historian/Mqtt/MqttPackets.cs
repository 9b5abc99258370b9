using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace EdgeOps.Historian.Mqtt;

/// <summary>
/// MQTT 5 (OASIS mqtt-v5.0) encoding and decoding for what a subscriber needs: CONNECT/CONNACK, SUBSCRIBE/SUBACK,
/// PUBLISH in, PUBACK out, PINGREQ/PINGRESP and DISCONNECT. Decoding checks every length against the packet and throws
/// <see cref="MqttProtocolException"/> naming the packet and the field.
/// </summary>
internal static class MqttPackets
{
    public const int Connect = 1;
    public const int ConnAck = 2;
    public const int Publish = 3;
    public const int PubAck = 4;
    public const int Subscribe = 8;
    public const int SubAck = 9;
    public const int PingReq = 12;
    public const int PingResp = 13;
    public const int Disconnect = 14;

    /// <summary>The largest Remaining Length MQTT can express (§1.5.5): 268,435,455.</summary>
    public const int MaxRemainingLength = 268_435_455;

    private const byte SessionExpiryProperty = 0x11;
    private const byte ServerKeepAliveProperty = 0x13;
    private const byte ReasonStringProperty = 0x1F;
    private const byte ReceiveMaximumProperty = 0x21;
    private const byte MaximumPacketSizeProperty = 0x27;

    public static readonly byte[] PingRequest = [PingReq << 4, 0];
    public static readonly byte[] NormalDisconnect = [Disconnect << 4, 0];

    public static string TypeName(int type) => type switch
    {
        1 => "CONNECT",
        2 => "CONNACK",
        3 => "PUBLISH",
        4 => "PUBACK",
        5 => "PUBREC",
        6 => "PUBREL",
        7 => "PUBCOMP",
        8 => "SUBSCRIBE",
        9 => "SUBACK",
        10 => "UNSUBSCRIBE",
        11 => "UNSUBACK",
        12 => "PINGREQ",
        13 => "PINGRESP",
        14 => "DISCONNECT",
        15 => "AUTH",
        _ => "reserved packet type 0",
    };

    /// <summary>MQTT 5 reason codes (§2.4) as the spec names them, with the code.</summary>
    public static string ReasonName(byte code) => code switch
    {
        0x00 => "success",
        0x01 => "granted QoS 1",
        0x02 => "granted QoS 2",
        0x04 => "disconnect with will message",
        0x80 => "unspecified error",
        0x81 => "malformed packet",
        0x82 => "protocol error",
        0x83 => "implementation specific error",
        0x84 => "unsupported protocol version",
        0x85 => "client identifier not valid",
        0x86 => "bad user name or password",
        0x87 => "not authorized",
        0x88 => "server unavailable",
        0x89 => "server busy",
        0x8A => "banned",
        0x8B => "server shutting down",
        0x8C => "bad authentication method",
        0x8D => "keep alive timeout",
        0x8E => "session taken over",
        0x8F => "topic filter invalid",
        0x90 => "topic name invalid",
        0x91 => "packet identifier in use",
        0x93 => "receive maximum exceeded",
        0x94 => "topic alias invalid",
        0x95 => "packet too large",
        0x96 => "message rate too high",
        0x97 => "quota exceeded",
        0x98 => "administrative action",
        0x99 => "payload format invalid",
        0x9A => "retain not supported",
        0x9B => "QoS not supported",
        0x9C => "use another server",
        0x9D => "server moved",
        0x9E => "shared subscriptions not supported",
        0x9F => "connection rate exceeded",
        0xA0 => "maximum connect time",
        0xA1 => "subscription identifiers not supported",
        0xA2 => "wildcard subscriptions not supported",
        _ => "reason",
    } + string.Create(CultureInfo.InvariantCulture, $" (0x{code:X2})");

    /// <summary>CONNECT (§3.1) with Session Expiry Interval, Receive Maximum and Maximum Packet Size; no will.</summary>
    public static byte[] EncodeConnect(MqttSubscriberSettings settings)
    {
        var body = new List<byte>(64);
        WriteString(body, "MQTT", "protocol name");
        body.Add(5);
        var flags = (byte)((settings.CleanStart ? 0x02 : 0)
            | (settings.Username is not null ? 0x80 : 0)
            | (settings.Password is not null ? 0x40 : 0));
        body.Add(flags);
        var keepAlive = (ushort)Math.Clamp(Math.Ceiling(settings.KeepAlive.TotalSeconds), 0, ushort.MaxValue);
        WriteUInt16(body, keepAlive);

        var properties = new List<byte>(16) { SessionExpiryProperty };
        WriteUInt32(properties, (uint)Math.Clamp(Math.Floor(settings.SessionExpiry.TotalSeconds), 0, uint.MaxValue));
        properties.Add(ReceiveMaximumProperty);
        WriteUInt16(properties, (ushort)Math.Clamp(settings.ReceiveMaximum, 1, ushort.MaxValue));
        properties.Add(MaximumPacketSizeProperty);
        WriteUInt32(properties, (uint)Math.Clamp(settings.MaximumPacketSize, 1, 268_435_455));
        WriteVariableInt(body, properties.Count);
        body.AddRange(properties);

        WriteString(body, settings.ClientId, "client identifier");
        if (settings.Username is not null)
        {
            WriteString(body, settings.Username, "user name");
        }

        if (settings.Password is not null)
        {
            WriteBinary(body, Encoding.UTF8.GetBytes(settings.Password), "password");
        }

        return Frame(Connect << 4, body);
    }

    /// <summary>SUBSCRIBE (§3.8) of one filter at QoS 1 with the given Retain Handling (0, 1 or 2).</summary>
    public static byte[] EncodeSubscribe(ushort packetId, string filter, int retainHandling)
    {
        var body = new List<byte>(filter.Length + 8);
        WriteUInt16(body, packetId);
        body.Add(0); // no properties
        WriteString(body, filter, "topic filter");
        body.Add((byte)(0x01 | ((retainHandling & 0x03) << 4)));
        return Frame((Subscribe << 4) | 0x02, body);
    }

    /// <summary>
    /// Reads a Variable Byte Integer (§1.5.5) at <paramref name="offset"/>. Returns false when more bytes are needed;
    /// throws when it runs past four bytes.
    /// </summary>
    public static bool TryReadVariableInt(ReadOnlySpan<byte> data, int offset, out int value, out int length, string packet)
    {
        value = 0;
        var multiplier = 1;
        for (length = 1; length <= 4; length++)
        {
            if (offset + length - 1 >= data.Length)
            {
                return false;
            }

            var b = data[offset + length - 1];
            value += (b & 0x7F) * multiplier;
            if ((b & 0x80) == 0)
            {
                return true;
            }

            multiplier *= 128;
        }

        throw new MqttProtocolException($"Malformed {packet}: a variable byte integer runs past 4 bytes.");
    }

    /// <summary>Reads a complete Variable Byte Integer inside a packet body.</summary>
    public static int ReadVariableInt(ReadOnlySpan<byte> body, ref int position, string packet, string field)
    {
        if (!TryReadVariableInt(body, position, out var value, out var length, packet))
        {
            throw new MqttProtocolException($"Malformed {packet}: the {field} runs past the end of the packet.");
        }

        position += length;
        return value;
    }

    /// <summary>The CONNACK/SUBACK/DISCONNECT properties a subscriber uses; the others are skipped by their type.</summary>
    public static AckProperties ReadProperties(ReadOnlySpan<byte> body, ref int position, string packet)
    {
        var length = ReadVariableInt(body, ref position, packet, "property length");
        var end = position + length;
        if (end > body.Length)
        {
            throw new MqttProtocolException($"Malformed {packet}: property length {length} runs past the end of the packet.");
        }

        var result = default(AckProperties);
        var p = position;
        while (p < end)
        {
            var id = ReadVariableInt(body, ref p, packet, "property identifier");
            switch (id)
            {
                case 0x01 or 0x17 or 0x19 or 0x24 or 0x25 or 0x28 or 0x29 or 0x2A:
                    p = Need(body, p, 1, end, packet, id);
                    break;
                case ServerKeepAliveProperty:
                    Need(body, p, 2, end, packet, id);
                    result = result with { ServerKeepAlive = BinaryPrimitives.ReadUInt16BigEndian(body[p..]) };
                    p += 2;
                    break;
                case 0x21 or 0x22 or 0x23:
                    p = Need(body, p, 2, end, packet, id);
                    break;
                case 0x02 or 0x11 or 0x18 or 0x27:
                    p = Need(body, p, 4, end, packet, id);
                    break;
                case 0x0B:
                    ReadVariableInt(body[..end], ref p, packet, "subscription identifier");
                    break;
                case ReasonStringProperty or 0x12 or 0x03 or 0x08 or 0x15 or 0x1A or 0x1C or 0x09 or 0x16:
                    var text = ReadLengthPrefixed(body[..end], ref p, packet, id);
                    if (id == ReasonStringProperty)
                    {
                        result = result with { ReasonString = Encoding.UTF8.GetString(text) };
                    }

                    break;
                case 0x26:
                    ReadLengthPrefixed(body[..end], ref p, packet, id);
                    ReadLengthPrefixed(body[..end], ref p, packet, id);
                    break;
                default:
                    throw new MqttProtocolException(string.Create(CultureInfo.InvariantCulture,
                        $"Malformed {packet}: unknown property identifier 0x{id:X2}."));
            }
        }

        position = end;
        return result;
    }

    private static int Need(ReadOnlySpan<byte> body, int position, int count, int end, string packet, int id)
    {
        if (position + count > end || position + count > body.Length)
        {
            throw new MqttProtocolException(string.Create(CultureInfo.InvariantCulture,
                $"Malformed {packet}: property 0x{id:X2} runs past the property block."));
        }

        return position + count;
    }

    private static ReadOnlySpan<byte> ReadLengthPrefixed(ReadOnlySpan<byte> body, ref int position, string packet, int id)
    {
        if (position + 2 > body.Length)
        {
            throw new MqttProtocolException(string.Create(CultureInfo.InvariantCulture,
                $"Malformed {packet}: property 0x{id:X2} runs past the property block."));
        }

        var length = BinaryPrimitives.ReadUInt16BigEndian(body[position..]);
        position += 2;
        if (position + length > body.Length)
        {
            throw new MqttProtocolException(string.Create(CultureInfo.InvariantCulture,
                $"Malformed {packet}: property 0x{id:X2} length {length} runs past the property block."));
        }

        var value = body.Slice(position, length);
        position += length;
        return value;
    }

    private static byte[] Frame(int firstByte, List<byte> body)
    {
        var packet = new List<byte>(body.Count + 5) { (byte)firstByte };
        WriteVariableInt(packet, body.Count);
        packet.AddRange(body);
        return [.. packet];
    }

    private static void WriteVariableInt(List<byte> target, int value)
    {
        do
        {
            var b = (byte)(value % 128);
            value /= 128;
            target.Add(value > 0 ? (byte)(b | 0x80) : b);
        }
        while (value > 0);
    }

    private static void WriteUInt16(List<byte> target, ushort value)
    {
        target.Add((byte)(value >> 8));
        target.Add((byte)value);
    }

    private static void WriteUInt32(List<byte> target, uint value)
    {
        target.Add((byte)(value >> 24));
        target.Add((byte)(value >> 16));
        target.Add((byte)(value >> 8));
        target.Add((byte)value);
    }

    private static void WriteString(List<byte> target, string value, string what) =>
        WriteBinary(target, Encoding.UTF8.GetBytes(value), what);

    private static void WriteBinary(List<byte> target, byte[] value, string what)
    {
        if (value.Length > ushort.MaxValue)
        {
            throw new ArgumentException($"The MQTT {what} is longer than 65,535 bytes.", nameof(value));
        }

        WriteUInt16(target, (ushort)value.Length);
        target.AddRange(value);
    }
}

/// <summary>The properties of CONNACK, SUBACK or DISCONNECT that matter to a subscriber.</summary>
/// <remarks>No Assigned Client Identifier: the subscriber always sends its fixed client id, so the broker assigns none.</remarks>
internal readonly record struct AckProperties(ushort? ServerKeepAlive, string? ReasonString);
