namespace EdgeOps.Ingest;

/// <summary>
/// Where and how to write points. Bound from configuration (e.g. <c>Historian:Influx</c>); secrets from the environment.
/// Checked on start by <see cref="InfluxOptionsValidator"/>.
/// </summary>
public sealed class InfluxOptions
{
    public InfluxApiVersion Api { get; set; } = InfluxApiVersion.V2;

    /// <summary>Server base address, e.g. <c>http://influxdb:8086</c>.</summary>
    public Uri? Url { get; set; }

    // v1
    public string? Database { get; set; }

    public string? RetentionPolicy { get; set; }

    public string? Username { get; set; }

    public string? Password { get; set; }

    // v2
    public string? Org { get; set; }

    public string? Bucket { get; set; }

    public string? Token { get; set; }

    /// <summary>Lines per write request at most (InfluxDB's recommendation is 5,000).</summary>
    public int BatchSize { get; set; } = 5000;

    /// <summary>A batch is written at the latest this long after its first line arrived.</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(1);

    public bool Gzip { get; set; } = true;

    /// <summary>
    /// Batches being mapped and written at once. More than one keeps the server busy while the next batch is
    /// mapped and the previous one acknowledged; acknowledgements stay in order either way.
    /// </summary>
    public int WritesInFlight { get; set; } = 4;

    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long one batch is retried before it goes to the durable buffer instead.</summary>
    public TimeSpan RetryBudget { get; set; } = TimeSpan.FromSeconds(3);
}
