namespace EdgeOps.Core.Model;

/// <summary>
/// A maintenance item of a machine (YAML <c>maintenance: [ { item: bearing-grease, everyHours: 500 } ]</c>).
/// Due when any configured interval is used up; overdue past it by <see cref="Grace"/>.
/// </summary>
public sealed record MaintenanceDefinition
{
    /// <summary>Item id, unique within the machine (command and CLI argument).</summary>
    public required string Item { get; init; }
    /// <summary>Run hours between services.</summary>
    public double? EveryHours { get; init; }
    /// <summary>Machine cycles (total count) between services.</summary>
    public long? EveryCycles { get; init; }
    /// <summary>Machine starts (stopped → running) between services.</summary>
    public long? EveryStarts { get; init; }
    /// <summary>Fraction of the interval past due before the item is overdue; default 0.1 (10 %).</summary>
    public double Grace { get; init; } = 0.1;
}
