using System.Globalization;
using System.Text.Json;
using System.Text.Unicode;

namespace EdgeOps.Ingest;

/// <summary>
/// JSON values into line-protocol fields, as <see cref="ContractPointMapper"/> flattens them: nested objects join
/// their names with '_', array elements get their index, and an object in an array becomes a child point in
/// <c>{kind}_{leaf}</c> tagged by its code or name. Child lines are kept (without their timestamp) until the main
/// point is written, because they follow it.
/// </summary>
internal sealed class JsonFlattener(PointTags tags)
{
    private readonly Utf8LineBuffer _itemFields = new();
    private readonly Utf8LineBuffer _itemName = new();
    private readonly Utf8LineBuffer _children = new(); // child lines without their timestamp
    private readonly List<int> _childEnds = [];
    private readonly Utf8LineBuffer _line = new();
    private byte[] _kind = [];

    /// <summary>A new message of <paramref name="kind"/> (its measurement, UTF-8).</summary>
    public void Begin(byte[] kind)
    {
        _kind = kind;
        _children.Clear();
        _childEnds.Clear();
    }

    /// <summary>The child points found since <see cref="Begin"/>, each completed by <paramref name="timestamp"/> (" ns").</summary>
    public void WriteChildren(LineBatch lines, ReadOnlySpan<byte> timestamp)
    {
        var from = 0;
        foreach (var end in _childEnds)
        {
            _line.Clear();
            _line.Append(_children.Span[from..end]);
            _line.Append(timestamp);
            lines.Add(_line.Span);
            from = end;
        }
    }

    /// <summary>One value at <paramref name="name"/> (the full flattened name, raw) into <paramref name="fields"/>.</summary>
    public bool Flatten(ref Utf8JsonReader reader, Utf8LineBuffer name, Utf8LineBuffer fields, bool inItem)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Number:
                if (IsShortestRoundTrip(reader.ValueSpan) && reader.TryGetDouble(out _))
                {
                    // Already the text "R" would give (most contract numbers): copied, not parsed and formatted.
                    Utf8LineEscaping.AppendFieldKey(fields, name);
                    fields.Append(reader.ValueSpan);
                    return true;
                }

                if (!reader.TryGetDouble(out var number) || !double.IsFinite(number))
                {
                    return false;
                }

                Utf8LineEscaping.AppendFieldKey(fields, name);
                return fields.AppendDouble(number);
            case JsonTokenType.True:
            case JsonTokenType.False:
                Utf8LineEscaping.AppendFieldKey(fields, name);
                fields.Append(reader.TokenType == JsonTokenType.True ? "true"u8 : "false"u8);
                return true;
            case JsonTokenType.String:
                if (reader.ValueIsEscaped || !Utf8.IsValid(reader.ValueSpan))
                {
                    return false;
                }

                Utf8LineEscaping.AppendFieldKey(fields, name);
                Utf8LineEscaping.AppendFieldString(fields, reader.ValueSpan);
                return true;
            case JsonTokenType.Null:
                return true;
            case JsonTokenType.StartObject:
                var length = name.Length;
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueIsEscaped || !Utf8.IsValid(reader.ValueSpan))
                    {
                        return false;
                    }

                    name.Truncate(length);
                    name.Append((byte)'_');
                    name.Append(reader.ValueSpan);
                    reader.Read();
                    if (!Flatten(ref reader, name, fields, inItem))
                    {
                        return false;
                    }
                }

                name.Truncate(length);
                return true;
            case JsonTokenType.StartArray:
                return FlattenArray(ref reader, name, fields, inItem);
            default:
                return false;
        }
    }

    /// <summary>
    /// True when <paramref name="raw"/> (a JSON number) is exactly what <c>double.ToString("R")</c> gives for it:
    /// plain decimal, no exponent, no trailing fraction zero, at most 15 significant digits (so no shorter
    /// decimal maps to the same double) and a magnitude "R" writes without an exponent (1e-4 ≤ |x| &lt; 1e15, or 0).
    /// </summary>
    internal static bool IsShortestRoundTrip(ReadOnlySpan<byte> raw)
    {
        var i = raw.Length > 0 && raw[0] == (byte)'-' ? 1 : 0;
        var intStart = i;
        while (i < raw.Length && char.IsAsciiDigit((char)raw[i]))
        {
            i++;
        }

        var intDigits = i - intStart;
        if (intDigits is 0 or > 15)
        {
            return false;
        }

        var significant = raw[intStart] == (byte)'0' ? 0 : intDigits;
        if (i == raw.Length)
        {
            return true;
        }

        if (raw[i] != (byte)'.')
        {
            return false;
        }

        var fracStart = ++i;
        while (i < raw.Length && char.IsAsciiDigit((char)raw[i]))
        {
            i++;
        }

        var fracDigits = i - fracStart;
        if (i != raw.Length || fracDigits == 0 || raw[^1] == (byte)'0')
        {
            return false;
        }

        if (significant == 0)
        {
            var leadingZeros = 0;
            while (raw[fracStart + leadingZeros] == (byte)'0')
            {
                leadingZeros++;
            }

            if (leadingZeros > 3)
            {
                return false;
            }

            significant = fracDigits - leadingZeros;
        }
        else
        {
            significant += fracDigits;
        }

        return significant <= 15;
    }

    private bool FlattenArray(ref Utf8JsonReader reader, Utf8LineBuffer name, Utf8LineBuffer fields, bool inItem)
    {
        var length = name.Length;
        var leafStart = name.Span.LastIndexOf((byte)'_') + 1;
        var index = 0;
        Span<byte> digits = stackalloc byte[12];
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.StartObject)
            {
                // An element of an element would be a child point ahead of its parent: left to the full mapper.
                if (inItem || !Item(ref reader, name.Span[leafStart..length], index))
                {
                    return false;
                }
            }
            else
            {
                if (reader.TokenType == JsonTokenType.StartArray)
                {
                    return false;
                }

                index.TryFormat(digits, out var written, default, CultureInfo.InvariantCulture);
                name.Truncate(length);
                name.Append((byte)'_');
                name.Append(digits[..written]);
                if (!Flatten(ref reader, name, fields, inItem))
                {
                    return false;
                }

                name.Truncate(length);
            }

            index++;
        }

        return true;
    }

    /// <summary>An object in an array: one child point in <c>{kind}_{leaf}</c>, tagged by its code or name.</summary>
    private bool Item(ref Utf8JsonReader reader, ReadOnlySpan<byte> leaf, int index)
    {
        _itemFields.Clear();
        tags.ResetToBase();
        var seen = ItemMembers.None;
        var named = false;
        (int Offset, int Length) code = (-1, 0), reasonCode = (-1, 0), reason = (-1, 0);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueIsEscaped || !Utf8.IsValid(reader.ValueSpan))
            {
                return false;
            }

            var name = reader.ValueSpan;
            reader.Read();
            var member = Members.Item(name);
            if (member != ItemMembers.None)
            {
                if ((seen & member) != 0)
                {
                    return false;
                }

                seen |= member;
            }

            switch (member)
            {
                case ItemMembers.Code:
                    if (!tags.TryCaptureString(ref reader, ref code))
                    {
                        return false;
                    }

                    continue;
                case ItemMembers.ReasonCode:
                    if (!tags.TryCaptureString(ref reader, ref reasonCode))
                    {
                        return false;
                    }

                    continue;
                case ItemMembers.Reason:
                    if (!tags.TryReason(ref reader, out reason))
                    {
                        return false;
                    }

                    continue;
                case ItemMembers.Item:
                case ItemMembers.Alarm:
                case ItemMembers.Signal:
                    var tag = member switch { ItemMembers.Item => Tag.Item, ItemMembers.Alarm => Tag.Alarm, _ => Tag.Signal };
                    if (tags.InTopic(tag))
                    {
                        reader.Skip(); // the topic already tags it
                        continue;
                    }

                    if (reader.TokenType != JsonTokenType.String || reader.ValueSpan.Length == 0 ||
                        !tags.TryCapture(ref reader, out var value))
                    {
                        return false; // an element name that is not a name: left to the full mapper
                    }

                    tags.Set(tag, value);
                    named = true;
                    continue;
            }

            _itemName.Clear();
            _itemName.Append(name);
            if (!Flatten(ref reader, _itemName, _itemFields, inItem: true))
            {
                return false;
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject)
        {
            return false;
        }

        var reasonTag = code.Offset >= 0 ? code : reasonCode.Offset >= 0 ? reasonCode : reason;
        if (reasonTag.Offset >= 0)
        {
            tags.Set(Tag.Reason, reasonTag);
        }
        else if (!named)
        {
            tags.SetIndex(Tag.Item, index);
        }

        if (_itemFields.Length == 0)
        {
            return true;
        }

        _line.Clear();
        tags.WriteHead(_line, _kind, leaf);
        _line.Append((byte)' ');
        _line.Append(_itemFields.Span);
        _children.Append(_line.Span);
        _childEnds.Add(_children.Length);
        return true;
    }
}
