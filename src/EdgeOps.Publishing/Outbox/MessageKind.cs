namespace EdgeOps.Publishing.Outbox;

/// <summary>What a queued message is; decides what the outbox may drop when it is full.</summary>
public enum MessageKind
{
    /// <summary>An event (state change, stop, alarm, counter anomaly): never dropped.</summary>
    Event = 0,

    /// <summary>A retained snapshot (state, counts, kpi, condition, shift): an older one is superseded by a newer one on the same topic.</summary>
    Snapshot = 1,

    /// <summary>A reply to an inbound command: transient, dropped after superseded snapshots.</summary>
    Reply = 2,

    /// <summary>The gateway's retained status (birth): only the newest matters.</summary>
    Status = 3,
}
