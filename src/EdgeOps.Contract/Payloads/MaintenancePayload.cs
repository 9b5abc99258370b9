namespace EdgeOps.Contract.Payloads;

/// <summary>
/// <c>.../{machine}/maintenance</c>, retained: the machine's lifetime usage and, per configured maintenance item, the
/// usage since its last reset against its intervals. Published on start, on every due/overdue/reset, and periodically.
/// </summary>
public sealed record MaintenancePayload : PayloadBase
{
    /// <inheritdoc />
    public override string Schema => PayloadSchemas.Maintenance;

    /// <summary>Machine id.</summary>
    public required string Machine { get; init; }

    /// <summary>Lifetime run hours counted by the gateway (never reset).</summary>
    public required double RunHours { get; init; }

    /// <summary>Lifetime cycles (total count increments).</summary>
    public required long Cycles { get; init; }

    /// <summary>Lifetime starts (stopped to running).</summary>
    public required long Starts { get; init; }

    /// <summary>The configured items.</summary>
    public required IReadOnlyList<MaintenanceItemEntry> Items { get; init; }
}

/// <summary>One maintenance item's usage since its last reset.</summary>
public sealed record MaintenanceItemEntry
{
    /// <summary>Item name from the line configuration.</summary>
    public required string Item { get; init; }

    /// <summary>ok, due or overdue.</summary>
    public required string Level { get; init; }

    /// <summary>Largest used/interval over the item's intervals (1 = due).</summary>
    public required double Progress { get; init; }

    /// <summary>Run hours since the last reset.</summary>
    public required double RunHours { get; init; }

    /// <summary>Cycles since the last reset.</summary>
    public required long Cycles { get; init; }

    /// <summary>Starts since the last reset.</summary>
    public required long Starts { get; init; }

    /// <summary>Configured run-hour interval.</summary>
    public double? EveryHours { get; init; }

    /// <summary>Configured cycle interval.</summary>
    public long? EveryCycles { get; init; }

    /// <summary>Configured start interval.</summary>
    public long? EveryStarts { get; init; }

    /// <summary>When it was last reset.</summary>
    public DateTimeOffset? LastResetAt { get; init; }

    /// <summary>Who reset it last.</summary>
    public string? LastResetBy { get; init; }
}
