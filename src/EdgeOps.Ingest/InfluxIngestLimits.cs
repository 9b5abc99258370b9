namespace EdgeOps.Ingest;

/// <summary>Flow limits of <see cref="InfluxIngest"/>.</summary>
public sealed record InfluxIngestLimits
{
    /// <summary>Messages queued before the producer waits.</summary>
    public int QueueCapacity { get; init; } = 20_000;

    /// <summary>
    /// A batch is flushed when this many messages wait for acknowledgement: the broker stops sending at the
    /// client's receive maximum, so waiting for more would only wait for the flush interval.
    /// </summary>
    public int MaxUnacknowledged { get; init; } = 10_000;

    /// <summary>Flush after the input has been quiet this long.</summary>
    public TimeSpan Linger { get; init; } = TimeSpan.FromMilliseconds(25);

    public TimeSpan DrainPollInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Longest wait between two attempts to drain the buffer while InfluxDB is down.</summary>
    public TimeSpan MaxDrainBackoff { get; init; } = TimeSpan.FromSeconds(5);
}
