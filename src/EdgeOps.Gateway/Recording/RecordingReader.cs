using System.Text.Json;
using EdgeOps.Core.Signals;

namespace EdgeOps.Gateway.Recording;

/// <summary>A line of a recording that could not be used, with why.</summary>
public sealed record RecordingError(int LineNumber, string Message)
{
    public override string ToString() => $"line {LineNumber}: {Message}";
}

/// <summary>Reads a recording (docs/recording.md) back into signals for a line's catalog.</summary>
public static class RecordingReader
{
    /// <summary>
    /// Yields the recording's signals in file order. Lines that do not parse, or name a machine or signal the line
    /// file does not have, are reported through <paramref name="errors"/> and skipped: one bad line never stops a replay.
    /// </summary>
    public static IEnumerable<Signal> Read(string path, SignalCatalog catalog, ICollection<RecordingError> errors) =>
        Read(path, catalog, errors, _ => { });

    /// <summary>As <see cref="Read(string, SignalCatalog, ICollection{RecordingError})"/>, reporting each header's engine start.</summary>
    public static IEnumerable<Signal> Read(string path, SignalCatalog catalog, ICollection<RecordingError> errors, Action<DateTimeOffset> onHeader) =>
        ReadEntries(path, catalog, errors, onHeader).Where(e => e.Signal is not null).Select(e => e.Signal!.Value);

    /// <summary>
    /// The recording's signals and recorded order/product commands, in file order; bad lines are reported and skipped
    /// as in <see cref="Read(string, SignalCatalog, ICollection{RecordingError})"/>.
    /// </summary>
    public static IEnumerable<RecordingEntry> ReadEntries(string path, SignalCatalog catalog, ICollection<RecordingError> errors, Action<DateTimeOffset> onHeader)
    {
        ArgumentNullException.ThrowIfNull(onHeader);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(errors);
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            if (TryParseHeader(line, out var start))
            {
                onHeader(start);
                continue;
            }

            if (line.Contains($"\"{RecordingFormat.Command}\"", StringComparison.Ordinal))
            {
                if (RecordedCommand.TryParse(line, out var command, out var commandError))
                {
                    yield return new RecordingEntry(null, command);
                }
                else
                {
                    errors.Add(new RecordingError(lineNumber, commandError!));
                }
            }
            else if (TryParse(line, catalog, out var signal, out var error))
            {
                yield return new RecordingEntry(signal, null);
            }
            else
            {
                errors.Add(new RecordingError(lineNumber, error!));
            }
        }
    }

    private static bool TryParseHeader(string line, out DateTimeOffset start)
    {
        start = default;
        if (!line.Contains($"\"{RecordingFormat.Header}\"", StringComparison.Ordinal))
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(line);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty(RecordingFormat.Header, out _)
                && document.RootElement.TryGetProperty(RecordingFormat.Start, out var s)
                && s.TryGetDateTimeOffset(out start);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool TryParse(string line, SignalCatalog catalog, out Signal signal, out string? error)
    {
        signal = default;
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = "not a JSON object";
                return false;
            }

            if (!root.TryGetProperty(RecordingFormat.Timestamp, out var ts) || !ts.TryGetDateTimeOffset(out var timestamp))
            {
                error = $"'{RecordingFormat.Timestamp}' is missing or not an RFC 3339 time";
                return false;
            }

            var machine = root.TryGetProperty(RecordingFormat.Machine, out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            var name = root.TryGetProperty(RecordingFormat.Signal, out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
            if (machine is null || name is null)
            {
                error = $"'{RecordingFormat.Machine}' and '{RecordingFormat.Signal}' must be strings";
                return false;
            }

            if (!catalog.TryResolve(machine, name, out var handle))
            {
                error = $"the line has no signal '{name}' on machine '{machine}'";
                return false;
            }

            if (!root.TryGetProperty(RecordingFormat.Value, out var v) || !((v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var value)) || RecordingFormat.TryParseNonFinite(v, out value)))
            {
                error = $"'{RecordingFormat.Value}' is missing or not a number (nor \"NaN\", \"Infinity\", \"-Infinity\")";
                return false;
            }

            string? qualityText = root.TryGetProperty(RecordingFormat.Quality, out var q) ? q.GetString() : null;
            if (!RecordingFormat.TryParseQuality(qualityText, out var quality))
            {
                error = $"'{RecordingFormat.Quality}' is '{qualityText}' (expected good, uncertain or bad)";
                return false;
            }

            var sourceTimestamped = root.TryGetProperty(RecordingFormat.SourceTimestamped, out var st) && st.ValueKind == JsonValueKind.True;
            string? text = null;
            if (root.TryGetProperty(RecordingFormat.Text, out var t))
            {
                if (t.ValueKind != JsonValueKind.String)
                {
                    error = $"'{RecordingFormat.Text}' must be a string (an order or product id)";
                    return false;
                }

                text = t.GetString();
            }

            signal = new Signal(handle, value, timestamp.ToUniversalTime(), quality, sourceTimestamped, text);
            error = null;
            return true;
        }
        catch (JsonException ex)
        {
            error = $"not JSON: {ex.Message}";
            return false;
        }
    }
}
