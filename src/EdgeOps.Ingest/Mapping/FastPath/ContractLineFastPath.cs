using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace EdgeOps.Ingest;

/// <summary>
/// The hot path of <see cref="ContractLineMapper"/>: maps a contract message straight from its UTF-8 payload with a
/// <see cref="Utf8JsonReader"/> into line protocol, with no <see cref="JsonDocument"/>, no <see cref="InfluxPoint"/>
/// and no string per value (one string per line). It gives exactly the lines of <see cref="ContractPointMapper"/>,
/// and declines (returns false, adds nothing) whenever a message is not plainly valid or holds something it does not
/// handle (escaped strings or names, duplicate envelope members, nested arrays, arrays of objects inside array
/// elements, bad schema or time, no fields …): the caller then maps it with <see cref="ContractPointMapper"/>, which
/// gives the error and the dead letter. Scratch buffers are per thread; nothing here awaits.
/// </summary>
public static class ContractLineFastPath
{
    private const int LargePayload = 256 * 1024;

    [ThreadStatic]
    private static Scratch? t_scratch;

    /// <summary>Appends the message's lines to <paramref name="lines"/> as UTF-8 and returns true, or returns false having added nothing.</summary>
    public static bool TryMap(string topic, ReadOnlyMemory<byte> payload, LineBatch lines)
    {
        ArgumentNullException.ThrowIfNull(topic);
        ArgumentNullException.ThrowIfNull(lines);
        var scratch = t_scratch ??= new Scratch();
        var parsed = scratch.Topic(topic);
        if (parsed is null)
        {
            return false;
        }

        var start = lines.Count;
        try
        {
            if (scratch.Map(parsed, payload.Span, lines))
            {
                return true;
            }
        }
        catch (JsonException)
        {
            // Malformed: the full mapper says why.
        }
        catch (InvalidOperationException)
        {
            // A value of another type than the reader was asked for: the full mapper decides.
        }
        finally
        {
            if (payload.Length > LargePayload)
            {
                t_scratch = null; // a rare large message does not keep its grown buffers on the thread
            }
        }

        lines.Truncate(start);
        return false;
    }

    /// <summary>Tag keys in line-protocol (ordinal) order; a point has each at most once, so a slot per key sorts them.</summary>
    private enum Tag
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

    private sealed class Scratch
    {
        private const int MaxTopics = 4096;

        // A line publishes the same topics over and over: parse each once per thread. The MQTT subscriber hands out one
        // string instance per topic, so the lookup mostly compares references.
        private readonly Dictionary<string, ContractTopic?> _topics = new(StringComparer.Ordinal);

        /// <summary>The parsed contract topic, or null for a command topic or one outside the contract.</summary>
        public ContractTopic? Topic(string topic)
        {
            if (_topics.TryGetValue(topic, out var parsed))
            {
                return parsed;
            }

            parsed = ContractTopic.IsCommand(topic) ? null : ContractTopic.TryParse(topic, out _);
            if (_topics.Count >= MaxTopics)
            {
                _topics.Clear();
            }

            _topics[topic] = parsed;
            return parsed;
        }

        private static readonly byte[][] TagKeys =
        [
            "alarm"u8.ToArray(), "area"u8.ToArray(), "gateway"u8.ToArray(), "item"u8.ToArray(), "line"u8.ToArray(),
            "machine"u8.ToArray(), "reason"u8.ToArray(), "signal"u8.ToArray(), "site"u8.ToArray(),
        ];

        private static readonly Dictionary<string, byte[]> SchemaPrefixes = new(StringComparer.Ordinal)
        {
            ["state"] = "edgeops.state/1"u8.ToArray(),
            ["counts"] = "edgeops.counts/1"u8.ToArray(),
            ["kpi"] = "edgeops.kpi/1"u8.ToArray(),
            ["events"] = "edgeops.event/1"u8.ToArray(),
            ["shift"] = "edgeops.shift/1"u8.ToArray(),
            ["condition"] = "edgeops.condition/1"u8.ToArray(),
            ["alarms"] = "edgeops.alarms/1"u8.ToArray(),
            ["maintenance"] = "edgeops.maintenance/1"u8.ToArray(),
            ["status"] = "edgeops.status/1"u8.ToArray(),
        };

        private static readonly SearchValues<byte> MeasurementSpecial = SearchValues.Create(", \n\r"u8);
        private static readonly SearchValues<byte> KeySpecial = SearchValues.Create(",= \n\r\\"u8);
        private static readonly SearchValues<byte> FieldStringSpecial = SearchValues.Create("\"\\\n\r"u8);

        private readonly Buffer _values = new(); // raw tag values, referenced by offset
        private readonly Buffer _mainFields = new();
        private readonly Buffer _mainName = new();
        private readonly Buffer _itemFields = new();
        private readonly Buffer _itemName = new();
        private readonly Buffer _children = new(); // child lines without their timestamp
        private readonly List<int> _childEnds = [];
        private readonly Buffer _line = new();
        private readonly (int Offset, int Length)[] _base = new (int, int)[(int)Tag.Count];
        private readonly (int Offset, int Length)[] _tags = new (int, int)[(int)Tag.Count];
        private byte[] _kind = [];
        private string _kindText = string.Empty;

        public bool Map(ContractTopic topic, ReadOnlySpan<byte> payload, LineBatch lines)
        {
            _values.Clear();
            _mainFields.Clear();
            _mainName.Clear();
            _children.Clear();
            _childEnds.Clear();
            Array.Fill(_base, (-1, 0));
            SetBase(Tag.Site, topic.Site);
            SetBase(Tag.Area, topic.Area);
            SetBase(Tag.Line, topic.Line);
            SetBase(Tag.Machine, topic.Machine);
            SetBase(Tag.Signal, topic.Signal);
            SetBase(Tag.Gateway, topic.Gateway);
            if (!string.Equals(_kindText, topic.Kind, StringComparison.Ordinal))
            {
                _kindText = topic.Kind;
                _kind = Encoding.UTF8.GetBytes(topic.Kind);
            }

            var events = topic.Kind == "events";
            var reader = new Utf8JsonReader(payload);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            var seen = 0;
            bool schemaOk = false, hasAt = false;
            long? tsMs = null, atMs = null, seq = null;
            (int Offset, int Length) signal = (-1, 0), reasonCode = (-1, 0), reason = (-1, 0);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueIsEscaped || !Utf8.IsValid(reader.ValueSpan))
                {
                    return false;
                }

                var name = reader.ValueSpan;
                reader.Read();
                var member = EnvelopeMember(name);
                if (member != 0)
                {
                    if ((seen & member) != 0)
                    {
                        return false; // duplicate: which one the full mapper takes is its business
                    }

                    seen |= member;
                }

                switch (member)
                {
                    case 1: // schema
                        if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped)
                        {
                            return false;
                        }

                        schemaOk = SchemaSupported(topic.Kind, reader.ValueSpan);
                        if (!schemaOk)
                        {
                            return false;
                        }

                        continue;
                    case 2: // ts
                        if (!TryTime(ref reader, out var ts))
                        {
                            return false;
                        }

                        tsMs = ts;
                        continue;
                    case 4: // signal
                        if (!TryCaptureString(ref reader, ref signal))
                        {
                            return false;
                        }

                        continue;
                    case 8: // reasonCode
                        if (!TryCaptureString(ref reader, ref reasonCode))
                        {
                            return false;
                        }

                        continue;
                    case 16: // reason
                        if (!TryReason(ref reader, out reason))
                        {
                            return false;
                        }

                        continue;
                    case 32: // at: when an event happened, and a field as well
                        hasAt = true;
                        if (events)
                        {
                            if (!TryTime(ref reader, out var at))
                            {
                                return false;
                            }

                            atMs = at;
                        }

                        break;
                    case 64: // seq: the event's nanoseconds, and a field as well
                        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var seqValue))
                        {
                            seq = seqValue;
                        }

                        break;
                    case 128: // sourceTs, machine, gatewayId: envelope or repeated by the topic
                        reader.Skip();
                        continue;
                }

                _mainName.Clear();
                _mainName.Append(name);
                if (!Flatten(ref reader, _mainName, _mainFields, inItem: false))
                {
                    return false;
                }
            }

            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                return false;
            }

            if (!schemaOk || _mainFields.Length == 0)
            {
                return false;
            }

            long timestampNs;
            if (events && hasAt)
            {
                if (atMs is null || seq is null)
                {
                    return false;
                }

                timestampNs = (atMs.Value * 1_000_000) + (seq.Value % 1_000_000);
            }
            else
            {
                if (tsMs is null || (events && seq is null))
                {
                    return false;
                }

                timestampNs = (tsMs.Value * 1_000_000) + (events ? seq!.Value % 1_000_000 : 0);
            }

            Span<byte> tsText = stackalloc byte[24];
            tsText[0] = (byte)' ';
            if (!timestampNs.TryFormat(tsText[1..], out var tsWritten, default, CultureInfo.InvariantCulture))
            {
                return false;
            }

            tsText = tsText[..(tsWritten + 1)];

            // The main point: topic tags, the signal an event names, the reason.
            _base.CopyTo(_tags, 0);
            if (topic.Signal is null && signal.Length > 0)
            {
                _tags[(int)Tag.Signal] = signal;
            }

            var reasonTag = reasonCode.Offset >= 0 ? reasonCode : reason;
            if (reasonTag.Offset >= 0)
            {
                _tags[(int)Tag.Reason] = reasonTag;
            }

            _line.Clear();
            WriteHead(_kind, []);
            _line.Append((byte)' ');
            _line.Append(_mainFields.Span);
            _line.Append(tsText);
            lines.Add(_line.Span);

            var from = 0;
            foreach (var end in _childEnds)
            {
                _line.Clear();
                _line.Append(_children.Span[from..end]);
                _line.Append(tsText);
                lines.Add(_line.Span);
                from = end;
            }

            return true;
        }

        private static int EnvelopeMember(ReadOnlySpan<byte> name) => name.Length switch
        {
            2 when name.SequenceEqual("ts"u8) => 2,
            2 when name.SequenceEqual("at"u8) => 32,
            3 when name.SequenceEqual("seq"u8) => 64,
            6 when name.SequenceEqual("schema"u8) => 1,
            6 when name.SequenceEqual("signal"u8) => 4,
            6 when name.SequenceEqual("reason"u8) => 16,
            7 when name.SequenceEqual("machine"u8) => 128,
            8 when name.SequenceEqual("sourceTs"u8) => 128,
            9 when name.SequenceEqual("gatewayId"u8) => 128,
            10 when name.SequenceEqual("reasonCode"u8) => 8,
            _ => 0,
        };

        private static bool SchemaSupported(string kind, ReadOnlySpan<byte> value)
        {
            // "{id}/1" or "{id}/1.x" (no further slash): what ContractPointMapper accepts, nothing else.
            var prefix = SchemaPrefixes[kind];
            if (!value.StartsWith(prefix))
            {
                return false;
            }

            var rest = value[prefix.Length..];
            return rest.Length == 0 || (rest[0] == (byte)'.' && !rest.Contains((byte)'/') && Utf8.IsValid(rest));
        }

        private static bool TryTime(ref Utf8JsonReader reader, out long unixMs)
        {
            unixMs = 0;
            if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped || reader.ValueSpan.Length > 64 || !Utf8.IsValid(reader.ValueSpan))
            {
                return false;
            }

            Span<char> chars = stackalloc char[64];
            if (!Encoding.UTF8.TryGetChars(reader.ValueSpan, chars, out var count) ||
                !DateTimeOffset.TryParse(chars[..count], CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at))
            {
                return false;
            }

            unixMs = at.ToUnixTimeMilliseconds();
            return true;
        }

        private bool TryCapture(ref Utf8JsonReader reader, out (int Offset, int Length) value)
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
        private bool TryCaptureString(ref Utf8JsonReader reader, ref (int Offset, int Length) value)
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                reader.Skip();
                return true;
            }

            return TryCapture(ref reader, out value);
        }

        /// <summary><c>reason</c>: a string, or an object whose <c>code</c> string is the reason.</summary>
        private bool TryReason(ref Utf8JsonReader reader, out (int Offset, int Length) reason)
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

        /// <summary>One value at <paramref name="name"/> (the full flattened name, raw) into <paramref name="fields"/>.</summary>
        private bool Flatten(ref Utf8JsonReader reader, Buffer name, Buffer fields, bool inItem)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.Number:
                    if (IsShortestRoundTrip(reader.ValueSpan) && reader.TryGetDouble(out _))
                    {
                        // Already the text "R" would give (most contract numbers): copied, not parsed and formatted.
                        WriteFieldKey(fields, name);
                        fields.Append(reader.ValueSpan);
                        return true;
                    }

                    if (!reader.TryGetDouble(out var number) || !double.IsFinite(number))
                    {
                        return false;
                    }

                    WriteFieldKey(fields, name);
                    return fields.AppendDouble(number);
                case JsonTokenType.True:
                case JsonTokenType.False:
                    WriteFieldKey(fields, name);
                    fields.Append(reader.TokenType == JsonTokenType.True ? "true"u8 : "false"u8);
                    return true;
                case JsonTokenType.String:
                    if (reader.ValueIsEscaped || !Utf8.IsValid(reader.ValueSpan))
                    {
                        return false;
                    }

                    WriteFieldKey(fields, name);
                    fields.Append((byte)'"');
                    AppendEscaped(fields, reader.ValueSpan, FieldStringSpecial, EscapeRule.FieldString);
                    fields.Append((byte)'"');
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

        private bool FlattenArray(ref Utf8JsonReader reader, Buffer name, Buffer fields, bool inItem)
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
            _base.CopyTo(_tags, 0);
            var seen = 0;
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
                var member = ItemMember(name);
                if (member != 0)
                {
                    if ((seen & member) != 0)
                    {
                        return false;
                    }

                    seen |= member;
                }

                switch (member)
                {
                    case 1: // code
                        if (!TryCaptureString(ref reader, ref code))
                        {
                            return false;
                        }

                        continue;
                    case 2: // reasonCode
                        if (!TryCaptureString(ref reader, ref reasonCode))
                        {
                            return false;
                        }

                        continue;
                    case 4: // reason
                        if (!TryReason(ref reader, out reason))
                        {
                            return false;
                        }

                        continue;
                    case 8: // item
                    case 16: // alarm
                    case 32: // signal
                        var tag = member switch { 8 => Tag.Item, 16 => Tag.Alarm, _ => Tag.Signal };
                        if (_base[(int)tag].Offset >= 0)
                        {
                            reader.Skip(); // the topic already tags it
                            continue;
                        }

                        if (reader.TokenType != JsonTokenType.String || reader.ValueSpan.Length == 0 ||
                            !TryCapture(ref reader, out var value))
                        {
                            return false; // an element name that is not a name: left to the full mapper
                        }

                        _tags[(int)tag] = value;
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
                _tags[(int)Tag.Reason] = reasonTag;
            }
            else if (!named)
            {
                Span<byte> digits = stackalloc byte[12];
                index.TryFormat(digits, out var written, default, CultureInfo.InvariantCulture);
                _tags[(int)Tag.Item] = (_values.Length, written);
                _values.Append(digits[..written]);
            }

            if (_itemFields.Length == 0)
            {
                return true;
            }

            _line.Clear();
            WriteHead(_kind, leaf);
            _line.Append((byte)' ');
            _line.Append(_itemFields.Span);
            _children.Append(_line.Span);
            _childEnds.Add(_children.Length);
            return true;
        }

        private static int ItemMember(ReadOnlySpan<byte> name) => name.Length switch
        {
            4 when name.SequenceEqual("code"u8) => 1,
            10 when name.SequenceEqual("reasonCode"u8) => 2,
            6 when name.SequenceEqual("reason"u8) => 4,
            4 when name.SequenceEqual("item"u8) => 8,
            5 when name.SequenceEqual("alarm"u8) => 16,
            6 when name.SequenceEqual("signal"u8) => 32,
            _ => 0,
        };

        /// <summary>Measurement (<c>kind</c> or <c>kind_leaf</c>) and the tags in <see cref="_tags"/>, into <see cref="_line"/>.</summary>
        private void WriteHead(ReadOnlySpan<byte> kind, ReadOnlySpan<byte> leaf)
        {
            if (leaf.IsEmpty)
            {
                AppendEscaped(_line, kind, MeasurementSpecial, EscapeRule.Measurement);
            }
            else
            {
                // Escaped as one name, as the full mapper does.
                Span<byte> measurement = kind.Length + 1 + leaf.Length <= 256 ? stackalloc byte[kind.Length + 1 + leaf.Length] : new byte[kind.Length + 1 + leaf.Length];
                kind.CopyTo(measurement);
                measurement[kind.Length] = (byte)'_';
                leaf.CopyTo(measurement[(kind.Length + 1)..]);
                AppendEscaped(_line, measurement, MeasurementSpecial, EscapeRule.Measurement);
            }

            for (var i = 0; i < (int)Tag.Count; i++)
            {
                var (offset, length) = _tags[i];
                if (offset < 0 || length == 0)
                {
                    continue; // absent, or empty: InfluxDB rejects empty tag values
                }

                _line.Append((byte)',');
                _line.Append(TagKeys[i]);
                _line.Append((byte)'=');
                AppendEscaped(_line, _values.Span.Slice(offset, length), KeySpecial, EscapeRule.Key);
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

        private static void WriteFieldKey(Buffer fields, Buffer name)
        {
            if (fields.Length > 0)
            {
                fields.Append((byte)',');
            }

            AppendEscaped(fields, name.Span, KeySpecial, EscapeRule.Key);
            fields.Append((byte)'=');
        }

        /// <summary><see cref="LineProtocol"/>'s rules on UTF-8 (every special character is ASCII).</summary>
        private static void AppendEscaped(Buffer target, ReadOnlySpan<byte> value, SearchValues<byte> special, EscapeRule rule)
        {
            if (!value.ContainsAny(special))
            {
                target.Append(value);
                return;
            }

            foreach (var b in value)
            {
                switch (b)
                {
                    case (byte)'\n' or (byte)'\r':
                        target.Append(rule == EscapeRule.Key ? "\\ "u8 : " "u8);
                        break;
                    case (byte)',' or (byte)' ' when rule != EscapeRule.FieldString:
                    case (byte)'=' when rule == EscapeRule.Key:
                    case (byte)'"' or (byte)'\\' when rule == EscapeRule.FieldString:
                        target.Append((byte)'\\');
                        target.Append(b);
                        break;
                    default:
                        target.Append(b);
                        break;
                }
            }

            if (rule == EscapeRule.Key && value[^1] == (byte)'\\')
            {
                target.Append((byte)' ');
            }
        }
    }

    private enum EscapeRule
    {
        Measurement,
        Key,
        FieldString,
    }

    /// <summary>A growable byte buffer, kept per thread and reused for every message.</summary>
    private sealed class Buffer
    {
        private byte[] _bytes = new byte[1024];

        public int Length { get; private set; }

        public ReadOnlySpan<byte> Span => _bytes.AsSpan(0, Length);

        public void Clear() => Length = 0;

        public void Truncate(int length) => Length = length;

        public void Append(byte value)
        {
            Ensure(1);
            _bytes[Length++] = value;
        }

        public void Append(ReadOnlySpan<byte> value)
        {
            Ensure(value.Length);
            value.CopyTo(_bytes.AsSpan(Length));
            Length += value.Length;
        }

        public int AppendUtf8(string value)
        {
            Ensure(Encoding.UTF8.GetMaxByteCount(value.Length));
            var written = Encoding.UTF8.GetBytes(value, _bytes.AsSpan(Length));
            Length += written;
            return written;
        }

        public bool AppendDouble(double value)
        {
            Ensure(32);
            if (!value.TryFormat(_bytes.AsSpan(Length), out var written, "R", CultureInfo.InvariantCulture))
            {
                return false;
            }

            Length += written;
            return true;
        }

        private void Ensure(int extra)
        {
            if (Length + extra > _bytes.Length)
            {
                Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, Length + extra));
            }
        }
    }
}
