using System.Text.Json;
using EdgeOps.Core.Engine.Events;
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

    /// <summary>
    /// Records an order or product change that no signal made (a command, the live view), so a replay repeats it at its
    /// instant; everything else, and what signals did, the replay derives from the signals.
    /// </summary>
    public void Write(EngineEvent engineEvent)
    {
        var (command, who) = engineEvent switch
        {
            OrderEvent { Change: OrderChange.Started } e => ("startOrder", e.Who),
            OrderEvent { Change: OrderChange.Paused } e => ("pauseOrder", e.Who),
            OrderEvent { Change: OrderChange.Resumed } e => ("resumeOrder", e.Who),
            OrderEvent { Change: OrderChange.Completed } e => ("completeOrder", e.Who),
            ProductChangedEvent e => ("setProduct", e.Who),
            _ => (null, null),
        };
        if (command is null || who is null || who.StartsWith("signal:", StringComparison.Ordinal))
        {
            return;
        }

        _writer.Reset();
        _writer.WriteStartObject();
        _writer.WriteString(RecordingFormat.Timestamp, engineEvent.Timestamp.UtcDateTime);
        _writer.WriteString(RecordingFormat.Command, command);
        if (engineEvent is OrderEvent order)
        {
            var r = order.Record;
            _writer.WriteString(RecordingFormat.Scope, r.LineScope ? r.Line : r.MachineId);
            _writer.WriteString(RecordingFormat.OrderId, r.OrderId);
            if (order.Change == OrderChange.Started)
            {
                WriteOptional(RecordingFormat.Product, r.ProductId);
                if (r.Quantity is { } quantity)
                {
                    _writer.WriteNumber(RecordingFormat.Quantity, quantity);
                }

                if (r.Due is { } due)
                {
                    _writer.WriteString(RecordingFormat.Due, due.UtcDateTime);
                }
            }
        }
        else if (engineEvent is ProductChangedEvent product)
        {
            _writer.WriteString(RecordingFormat.Scope, product.MachineId);
            WriteOptional(RecordingFormat.Product, product.ProductId);
        }

        _writer.WriteString(RecordingFormat.Who, who);
        _writer.WriteEndObject();
        _writer.Flush();
        _stream.Write(NewLine);
    }

    private void WriteOptional(string name, string? value)
    {
        if (value is not null)
        {
            _writer.WriteString(name, value);
        }
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
