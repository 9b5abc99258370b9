namespace EdgeOps.Core.Condition.Maintenance;

/// <summary>Usage of one maintenance item since its last reset.</summary>
public sealed record MaintenanceStatus
{
    public required string Machine { get; init; }
    public required string Item { get; init; }
    public required double RunHours { get; init; }
    public required long Cycles { get; init; }
    public required long Starts { get; init; }
    /// <summary>Largest share used of any configured interval (1.0 = due).</summary>
    public required double Progress { get; init; }
    public required MaintenanceLevel Level { get; init; }
    public DateTimeOffset? LastResetAt { get; init; }
    public string? LastResetBy { get; init; }
}
