namespace EdgeOps.Ingest;

/// <summary>
/// Sends one batch of line-protocol lines to an InfluxDB-compatible server in one request (ns precision): the UTF-8
/// body of a <see cref="LineBatch"/>, every line ending in '\n'.
/// It does not retry or split; <see cref="InfluxBatchWriter"/> does that on top of it.
/// </summary>
public interface IInfluxWriter : IDisposable
{
    /// <summary>Where the writer sends, for logs (never with credentials).</summary>
    string Endpoint { get; }

    Task<InfluxWriteOutcome> WriteAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken);
}

/// <summary>Lines given as strings, for callers that have them so (tests, tools).</summary>
public static class InfluxWriterExtensions
{
    public static Task<InfluxWriteOutcome> WriteAsync(this IInfluxWriter writer, IReadOnlyList<string> lines, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writer);
        return writer.WriteAsync(new LineBatch(lines).Body(), cancellationToken);
    }
}
