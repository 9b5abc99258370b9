using System.Text;
using System.Text.Json;

namespace EdgeOps.Ingest;

/// <summary>
/// Dead letters as JSON lines in one append-only file, flushed to disk before <see cref="WriteAsync"/> returns
/// (the message that caused it is acknowledged right after).
/// </summary>
public sealed class DeadLetterFile : IDeadLetterSink, IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly FileStream _stream;

    public DeadLetterFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Path = System.IO.Path.GetFullPath(path);
        var directory = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        _stream = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
    }

    public string Path { get; }

    public long Count { get; private set; }

    public async ValueTask WriteAsync(DeadLetter letter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(letter);
        var json = JsonSerializer.Serialize(new Entry(letter.At.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            letter.Reason, letter.Topic, letter.Payload, letter.Line), DeadLetterJson.Default.Entry);
        var bytes = Encoding.UTF8.GetBytes(json + "\n");
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
            _stream.Flush(flushToDisk: true);
            Count++;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        _stream.Dispose();
        _gate.Dispose();
    }

    internal sealed record Entry(string At, string Reason, string? Topic, string? Payload, string? Line);
}
