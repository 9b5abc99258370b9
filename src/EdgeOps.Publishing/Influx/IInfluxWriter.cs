namespace EdgeOps.Publishing.Influx;

/// <summary>
/// Sends one batch of line-protocol lines to an InfluxDB-compatible server in one request (ns precision).
/// It does not retry or split; <see cref="InfluxBatchWriter"/> does that on top of it.
/// </summary>
public interface IInfluxWriter : IDisposable
{
    /// <summary>Where the writer sends, for logs (never with credentials).</summary>
    string Endpoint { get; }

    Task<InfluxWriteOutcome> WriteAsync(IReadOnlyList<string> lines, CancellationToken cancellationToken);
}
