namespace EdgeOps.Core.Condition.Maintenance;

/// <summary>A maintenance item became due or overdue, or was reset: published on the machine's <c>events</c> topic.</summary>
public sealed record MaintenanceEvent
{
    public required string Machine { get; init; }
    public required string Item { get; init; }
    public required MaintenanceEventKind Kind { get; init; }
    public required DateTimeOffset At { get; init; }
    /// <summary>Who reset the item (command sender or CLI user); null for due and overdue.</summary>
    public string? By { get; init; }
    /// <summary>Usage since the previous reset at the moment of the event.</summary>
    public required double RunHours { get; init; }
    public required long Cycles { get; init; }
    public required long Starts { get; init; }
}
