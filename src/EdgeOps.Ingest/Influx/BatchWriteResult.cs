namespace EdgeOps.Ingest;

/// <summary>
/// The end of one batch: <see cref="Unavailable"/> false means every line is either stored or dead-lettered;
/// true means the server could not be reached within the retry budget and the caller must keep the batch.
/// </summary>
public sealed record BatchWriteResult(bool Unavailable, int Written, int DeadLettered, string? LastError);
