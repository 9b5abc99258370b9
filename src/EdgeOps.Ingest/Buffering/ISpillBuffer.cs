namespace EdgeOps.Ingest;

/// <summary>
/// The durable buffer of <see cref="InfluxIngest"/>: batches InfluxDB could not take, kept on disk until they are
/// written (<see cref="OutboxSpillBuffer"/>, in the outbox file format). A batch is durable when <see cref="AppendAsync"/>
/// returns; its MQTT messages may then be acknowledged.
/// </summary>
public interface ISpillBuffer : IDisposable
{
    /// <summary>Batches waiting.</summary>
    long Count { get; }

    Task AppendAsync(IReadOnlyList<string> lines, CancellationToken cancellationToken);

    /// <summary>The oldest batch, or null when empty.</summary>
    Task<SpilledBatch?> PeekAsync(CancellationToken cancellationToken);

    Task RemoveAsync(long id, CancellationToken cancellationToken);
}

/// <summary>One buffered batch.</summary>
public sealed record SpilledBatch(long Id, IReadOnlyList<string> Lines);
