using System.Globalization;
using System.Text.Json;
using System.Text.Unicode;
using EdgeOps.Contract;

namespace EdgeOps.Ingest;

/// <summary>Tag keys in line-protocol (ordinal) order; a point has each at most once, so a slot per key sorts them.</summary>
internal enum Tag
{
    Alarm,
    Area,
    Gateway,
    Item,
    Line,
    Machine,
    Reason,
    Signal,
    Site,
    Count,
}

/// <summary>
/// The tags of the point being written: the topic's (the base, the same for every point of a message) and those a
/// payload member or array element adds. Values are raw UTF-8 kept in one buffer and referenced by offset, so a tag
/// costs no string.
/// </summary>
internal sealed class PointTags
{
    private static readonly byte[][] TagKeys =
    [
        "alarm"u8.ToArray(), "area"u8.ToArray(), "gateway"u8.ToArray(), "item"u8.ToArray(), "line"u8.ToArray(),
        "machine"u8.ToArray(), "reason"u8.ToArray(), "signal"u8.ToArray(), "site"u8.ToArray(),
    ];

    private readonly Utf8LineBuffer _values = new();
    private readonly (int Offset, int Length)[] _base = new (int, int)[(int)Tag.Count];
    private readonly (int Offset, int Length)[] _tags = new (int, int)[(int)Tag.Count];

    /// <summary>A new message: the topic's tags become the base of its every point.</summary>
    public void Begin(ContractTopic topic)
    {
        _values.Clear();
        Array.Fill(_base, (-1, 0));
        SetBase(Tag.Site, topic.Site);
        SetBase(Tag.Area, topic.Area);
        SetBase(Tag.Line, topic.Line);
        SetBase(Tag.Machine, topic.Machine);
        SetBase(Tag.Signal, topic.Signal);
        SetBase(Tag.Gateway, topic.Gateway);
    }

    /// <summary>A new point: the topic's tags only.</summary>
    public void ResetToBase() => _base.CopyTo(_tags, 0);

    public bool InTopic(Tag tag) => _base[(int)tag].Offset >= 0;

    public void Set(Tag tag, (int Offset, int Length) value) => _tags[(int)tag] = value;

    /// <summary>The element's index as its <c>item</c> tag.</summary>
    public void SetIndex(Tag tag, int index)
    {
        Span<byte> digits = stackalloc byte[12];
        index.TryFormat(digits, out var written, default, CultureInfo.InvariantCulture);
        _tags[(int)tag] = (_values.Length, written);
        _values.Append(digits[..written]);
    }

    /// <summary>The current string value, kept; false when it is escaped or not valid UTF-8 (left to the full mapper).</summary>
    public bool TryCapture(ref Utf8JsonReader reader, out (int Offset, int Length) value)
    {
        value = (-1, 0);
        if (reader.ValueIsEscaped || !Utf8.IsValid(reader.ValueSpan))
        {
            return false;
        }

        value = (_values.Length, reader.ValueSpan.Length);
        _values.Append(reader.ValueSpan);
        return true;
    }

    /// <summary>A string value is captured; any other value is skipped and leaves <paramref name="value"/> as it was.</summary>
    public bool TryCaptureString(ref Utf8JsonReader reader, ref (int Offset, int Length) value)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            reader.Skip();
            return true;
        }

        return TryCapture(ref reader, out value);
    }

    /// <summary><c>reason</c>: a string, or an object whose <c>code</c> string is the reason.</summary>
    public bool TryReason(ref Utf8JsonReader reader, out (int Offset, int Length) reason)
    {
        reason = (-1, 0);
        if (reader.TokenType == JsonTokenType.String)
        {
            return TryCapture(ref reader, out reason);
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return true;
        }

        var seenCode = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueIsEscaped)
            {
                return false;
            }

            var isCode = reader.ValueSpan.SequenceEqual("code"u8);
            reader.Read();
            if (isCode)
            {
                if (seenCode)
                {
                    return false;
                }

                seenCode = true;
                if (reader.TokenType == JsonTokenType.String)
                {
                    if (!TryCapture(ref reader, out reason))
                    {
                        return false;
                    }

                    continue;
                }
            }

            reader.Skip();
        }

        return true;
    }

    /// <summary>Measurement (<c>kind</c> or <c>kind_leaf</c>) and the current tags, into <paramref name="line"/>.</summary>
    public void WriteHead(Utf8LineBuffer line, ReadOnlySpan<byte> kind, ReadOnlySpan<byte> leaf)
    {
        if (leaf.IsEmpty)
        {
            Utf8LineEscaping.AppendMeasurement(line, kind);
        }
        else
        {
            // Escaped as one name, as the full mapper does.
            Span<byte> measurement = kind.Length + 1 + leaf.Length <= 256 ? stackalloc byte[kind.Length + 1 + leaf.Length] : new byte[kind.Length + 1 + leaf.Length];
            kind.CopyTo(measurement);
            measurement[kind.Length] = (byte)'_';
            leaf.CopyTo(measurement[(kind.Length + 1)..]);
            Utf8LineEscaping.AppendMeasurement(line, measurement);
        }

        for (var i = 0; i < (int)Tag.Count; i++)
        {
            var (offset, length) = _tags[i];
            if (offset < 0 || length == 0)
            {
                continue; // absent, or empty: InfluxDB rejects empty tag values
            }

            line.Append((byte)',');
            line.Append(TagKeys[i]);
            line.Append((byte)'=');
            Utf8LineEscaping.AppendKey(line, _values.Span.Slice(offset, length));
        }
    }

    private void SetBase(Tag tag, string? value)
    {
        if (value is null)
        {
            return;
        }

        var offset = _values.Length;
        var length = _values.AppendUtf8(value);
        _base[(int)tag] = (offset, length);
    }
}
