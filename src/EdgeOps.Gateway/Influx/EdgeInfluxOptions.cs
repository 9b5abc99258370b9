namespace EdgeOps.Gateway.Influx;

/// <summary>
/// The edge-local option (<c>EdgeOps:Influx:Enabled</c>): the gateway also writes what it publishes to an InfluxDB on
/// the same device, through the historian's mapping, batching, dead letters and durable buffer. Off by default. The
/// other keys of the section are <see cref="EdgeOps.Ingest.InfluxOptions"/> (<c>Api</c>, <c>Url</c>, <c>Database</c> or
/// <c>Org</c>/<c>Bucket</c>/<c>Token</c>, …), checked by <see cref="EdgeOps.Ingest.InfluxOptionsValidator"/>; secrets
/// from the environment (<c>EdgeOps__Influx__Token</c>) or systemd credentials.
/// </summary>
public sealed class EdgeInfluxOptions
{
    public const string Section = "EdgeOps:Influx";

    /// <summary>The durable buffer in the data directory (outbox storage, SQLite WAL).</summary>
    public const string BufferFile = "influx-buffer.db";

    /// <summary>Lines InfluxDB rejected and messages that did not map, one JSON object a line.</summary>
    public const string DeadLetterFile = "influx-dead-letters.jsonl";

    /// <summary>Whether the gateway writes to the edge-local InfluxDB (it needs <c>EdgeOps:Mqtt:Enabled</c>).</summary>
    public bool Enabled { get; set; }
}
