using System.Text.Json;

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
/// <remarks>
/// The parts: <see cref="EnvelopeScanner"/> reads the envelope and writes the main point, <see cref="JsonFlattener"/>
/// turns values into fields and array elements into child points, <see cref="PointTags"/> holds the tags,
/// <see cref="Utf8LineBuffer"/> and <see cref="Utf8LineEscaping"/> write the bytes.
/// </remarks>
public static class ContractLineFastPath
{
    private const int LargePayload = 256 * 1024;

    [ThreadStatic]
    private static EnvelopeScanner? t_scanner;

    /// <summary>Appends the message's lines to <paramref name="lines"/> as UTF-8 and returns true, or returns false having added nothing.</summary>
    public static bool TryMap(string topic, ReadOnlyMemory<byte> payload, LineBatch lines)
    {
        ArgumentNullException.ThrowIfNull(topic);
        ArgumentNullException.ThrowIfNull(lines);
        var scanner = t_scanner ??= new EnvelopeScanner();
        var parsed = scanner.Topic(topic);
        if (parsed is null)
        {
            return false;
        }

        var start = lines.Count;
        try
        {
            if (scanner.Map(parsed, payload.Span, lines))
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
                t_scanner = null; // a rare large message does not keep its grown buffers on the thread
            }
        }

        lines.Truncate(start);
        return false;
    }
}
