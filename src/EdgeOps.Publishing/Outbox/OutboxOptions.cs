namespace EdgeOps.Publishing.Outbox;

/// <summary>The durable queue in front of the broker (DESIGN.md section 7).</summary>
public sealed record OutboxOptions
{
    /// <summary>SQLite file (WAL) under the data directory. Seq numbers per topic live in it too.</summary>
    public string Path { get; set; } = "data/outbox.db";

    /// <summary>Bound on queued bytes (payload + topic). Past it superseded snapshots go first, events never.</summary>
    public long MaxBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>Backlog replay rate after a reconnect, messages per second (0 = unlimited). Live messages are not limited.</summary>
    public int ReplayRatePerSecond { get; set; } = 5_000;

    /// <summary>Payload bytes kept in memory for quick sending; beyond it payloads are read back from the file.</summary>
    public long MemoryPayloadBytes { get; set; } = 16L * 1024 * 1024;

    /// <summary>
    /// true: fsync every commit (survives a power cut, slower). false (default): WAL with synchronous=NORMAL, which survives a
    /// process crash or SIGKILL; a power cut may lose the last commits before the OS wrote them (docs/mqtt-contract.md).
    /// </summary>
    public bool SyncEveryCommit { get; set; }
}
