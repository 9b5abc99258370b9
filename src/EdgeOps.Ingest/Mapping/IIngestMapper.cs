namespace EdgeOps.Ingest;

/// <summary>One message handed to <see cref="InfluxIngest"/>: raw, mapped later on a write worker.</summary>
/// <param name="Topic">The MQTT topic it was (or will be) published on.</param>
/// <param name="Payload">The payload; the ingest keeps it until the batch is done, so it must not be reused by the caller.</param>
/// <param name="OnDurable">Runs, in enqueue order, once the message's points are stored, dead-lettered or in the durable buffer.</param>
public readonly record struct IngestMessage(string Topic, ReadOnlyMemory<byte> Payload, Func<CancellationToken, ValueTask>? OnDurable);

/// <summary>Turns a batch of messages into line-protocol lines (UTF-8, appended to a <see cref="LineBatch"/>); runs on <see cref="InfluxIngest"/>'s write workers, several batches at once.</summary>
public interface IIngestMapper
{
    /// <summary>
    /// Appends the lines of <paramref name="messages"/> to <paramref name="lines"/>. A message that cannot be mapped
    /// must be dealt with (dead-lettered) before this returns: returning means every message is accounted for.
    /// </summary>
    ValueTask MapAsync(IReadOnlyList<IngestMessage> messages, LineBatch lines, CancellationToken cancellationToken);
}
