using System.Text.Json;
using EdgeOps.Core.Signals;

namespace EdgeOps.Gateway.Recording;

/// <summary>
/// Writes every signal the engine receives to a JSON-lines file (docs/recording.md), so a shift can be replayed
/// through the engine later (<c>edgeops replay</c>). Signals are keyed by machine and signal name, not by handle,
/// so a recording stays valid when the line file gains signals.
/// </summary>
public sealed class SignalRecorder : IDisposable
{
    private readonly SignalCatalog _catalog;
    private readonly FileStream _stream;
    private readonly Utf8JsonWriter _writer;
    private static readonly byte[] NewLine = "\n"u8.ToArray();

    /// <summary>Opens (appends to) a recording; <paramref name="engineStart"/> is written in a header line for replay.</summary>
    public SignalRecorder(string path, SignalCatalog catalog, DateTimeOffset engineStart)
    {
        _catalog = catalog;
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        // Append: a restarted gateway continues the same recording.
        _stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, 64 * 1024);
        _writer = new Utf8JsonWriter(_stream);

        // A header per (re)start: replay starts its engine where the live engine started.
        _writer.WriteStartObject();
        _writer.WriteNumber(RecordingFormat.Header, RecordingFormat.Version);
        _writer.WriteString(RecordingFormat.Line, catalog.Line.Line);
        _writer.WriteString(RecordingFormat.Start, engineStart.UtcDateTime);
        _writer.WriteEndObject();
        _writer.Flush();
        _stream.Write(NewLine);
    }

    public long Count { get; private set; }

    public void Write(in Signal signal)
    {
        var info = _catalog[signal.Handle];
        _writer.Reset();
        _writer.WriteStartObject();
        _writer.WriteString(RecordingFormat.Timestamp, signal.Timestamp.UtcDateTime);
        _writer.WriteString(RecordingFormat.Machine, info.Machine.Id);
        _writer.WriteString(RecordingFormat.Signal, info.Definition.Name);
        if (double.IsFinite(signal.Value))
        {
            _writer.WriteNumber(RecordingFormat.Value, signal.Value);
        }
        else
        {
            // JSON has no NaN; a code node of the wrong type reaches the engine as one, and replay must see it too.
            _writer.WriteString(RecordingFormat.Value, RecordingFormat.NonFiniteName(signal.Value));
        }
        if (signal.Quality != SignalQuality.Good)
        {
            _writer.WriteString(RecordingFormat.Quality, RecordingFormat.QualityName(signal.Quality));
        }

        if (signal.SourceTimestamped)
        {
            _writer.WriteBoolean(RecordingFormat.SourceTimestamped, true);
        }

        if (signal.Text is not null)
        {
            _writer.WriteString(RecordingFormat.Text, signal.Text);
        }

        _writer.WriteEndObject();
        _writer.Flush();
        _stream.Write(NewLine);
        Count++;
    }

    /// <summary>Pushes buffered lines to the file; the engine loop calls it with each checkpoint.</summary>
    public void Flush() => _stream.Flush(flushToDisk: false);

    public void Dispose()
    {
        _writer.Dispose();
        _stream.Flush(flushToDisk: true);
        _stream.Dispose();
    }
}
