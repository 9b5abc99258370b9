using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using EdgeOps.Contract;

namespace EdgeOps.Ingest;

/// <summary>
/// Reads a message's envelope (schema, times, seq, the members that tag it) and writes its main point, handing every
/// other member to <see cref="JsonFlattener"/>. One per thread, with the topics it has parsed.
/// </summary>
internal sealed class EnvelopeScanner
{
    private const int MaxTopics = 4096;
    private const string OrderKind = "order";

    private static readonly Dictionary<string, byte[]> SchemaPrefixes = PayloadSchemas.IdByTopicKind.ToDictionary(
        p => p.Key, p => Encoding.UTF8.GetBytes(p.Value + "/" + PayloadSchemas.Major), StringComparer.Ordinal);

    // A line publishes the same topics over and over: parse each once per thread. The MQTT subscriber hands out one
    // string instance per topic, so the lookup mostly compares references.
    private readonly Dictionary<string, ContractTopic?> _topics = new(StringComparer.Ordinal);
    private readonly PointTags _tags = new();
    private readonly JsonFlattener _flattener;
    private readonly Utf8LineBuffer _mainFields = new();
    private readonly Utf8LineBuffer _mainName = new();
    private readonly Utf8LineBuffer _line = new();
    private byte[] _kind = [];
    private string _kindText = string.Empty;

    public EnvelopeScanner() => _flattener = new JsonFlattener(_tags);

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

    public bool Map(ContractTopic topic, ReadOnlySpan<byte> payload, LineBatch lines)
    {
        // Orders (the order topic, and events that carry an order) get a product tag and, once completed, a record of
        // their own in the full mapper; they are a few messages a minute, not worth a second copy of that rule here.
        if (topic.Kind == OrderKind)
        {
            return false;
        }

        _mainFields.Clear();
        _mainName.Clear();
        _tags.Begin(topic);
        if (!string.Equals(_kindText, topic.Kind, StringComparison.Ordinal))
        {
            _kindText = topic.Kind;
            _kind = Encoding.UTF8.GetBytes(topic.Kind);
        }

        _flattener.Begin(_kind);

        var events = topic.Kind == "events";
        var reader = new Utf8JsonReader(payload);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        var seen = EnvelopeMembers.None;
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
            // A shift's per-product counts are tagged by product in the full mapper: one message a shift, left to it.
            if (name.SequenceEqual("order"u8) || name.SequenceEqual("products"u8))
            {
                return false;
            }

            reader.Read();
            var member = Members.Envelope(name);
            if (member != EnvelopeMembers.None)
            {
                if ((seen & member) != 0)
                {
                    return false; // duplicate: which one the full mapper takes is its business
                }

                seen |= member;
            }

            switch (member)
            {
                case EnvelopeMembers.Schema:
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
                case EnvelopeMembers.Ts:
                    if (!TryTime(ref reader, out var ts))
                    {
                        return false;
                    }

                    tsMs = ts;
                    continue;
                case EnvelopeMembers.Signal:
                    if (!_tags.TryCaptureString(ref reader, ref signal))
                    {
                        return false;
                    }

                    continue;
                case EnvelopeMembers.ReasonCode:
                    if (!_tags.TryCaptureString(ref reader, ref reasonCode))
                    {
                        return false;
                    }

                    continue;
                case EnvelopeMembers.Reason:
                    if (!_tags.TryReason(ref reader, out reason))
                    {
                        return false;
                    }

                    continue;
                case EnvelopeMembers.At:
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
                case EnvelopeMembers.Seq:
                    if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var seqValue))
                    {
                        seq = seqValue;
                    }

                    break;
                case EnvelopeMembers.Skipped:
                    reader.Skip();
                    continue;
            }

            _mainName.Clear();
            _mainName.Append(name);
            if (!_flattener.Flatten(ref reader, _mainName, _mainFields, inItem: false))
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
        _tags.ResetToBase();
        if (topic.Signal is null && signal.Length > 0)
        {
            _tags.Set(Tag.Signal, signal);
        }

        var reasonTag = reasonCode.Offset >= 0 ? reasonCode : reason;
        if (reasonTag.Offset >= 0)
        {
            _tags.Set(Tag.Reason, reasonTag);
        }

        _line.Clear();
        _tags.WriteHead(_line, _kind, []);
        _line.Append((byte)' ');
        _line.Append(_mainFields.Span);
        _line.Append(tsText);
        lines.Add(_line.Span);

        _flattener.WriteChildren(lines, tsText);
        return true;
    }

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
}
