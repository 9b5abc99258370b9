namespace EdgeOps.Core.Kpi;

/// <summary>
/// The summary of one machine over one shift: published (retained) when the shift closes and republished with a
/// higher <see cref="Revision"/> when late data or a reason assignment changes it.
/// </summary>
public sealed record ShiftRecord
{
    public required string Site { get; init; }
    public required string Area { get; init; }
    public required string Line { get; init; }
    public required string MachineId { get; init; }
    /// <summary>The shift's configured name.</summary>
    public required string ShiftName { get; init; }
    /// <summary>"yyyy-MM-dd/name" of the plant-local start date.</summary>
    public required string ShiftId { get; init; }
    /// <summary>Plant-local date the shift started on.</summary>
    public required DateOnly LocalDate { get; init; }
    /// <summary>Shift start, UTC.</summary>
    public required DateTimeOffset Start { get; init; }
    /// <summary>Shift end, UTC.</summary>
    public required DateTimeOffset End { get; init; }
    /// <summary>0 when first closed; +1 for every republication after late data or a reason assignment.</summary>
    public required int Revision { get; init; }
    /// <summary>True once the shift has ended.</summary>
    public required bool Closed { get; init; }
    public required ProductionCounts Counts { get; init; }
    public required KpiSet Kpi { get; init; }
    public required CapacitySet Capacity { get; init; }
    /// <summary>Counts per product made in the shift (configuration order); empty when no product was active.</summary>
    public IReadOnlyList<ProductCounts> Products { get; init; } = [];
}
