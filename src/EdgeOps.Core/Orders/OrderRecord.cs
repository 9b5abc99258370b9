using EdgeOps.Core.Kpi;

namespace EdgeOps.Core.Orders;

/// <summary>
/// One production order on a machine or a line, as of one instant: while it runs (progress, rate, projected
/// completion) and once completed (republished with a higher <see cref="Revision"/> when late data changes it).
/// A line order's figures are its output machine's (the line's output, DESIGN.md section 4).
/// </summary>
public sealed record OrderRecord
{
    public required string Site { get; init; }
    public required string Area { get; init; }
    public required string Line { get; init; }

    /// <summary>True for a line order (it sets the product of every machine); false for a machine's own order.</summary>
    public required bool LineScope { get; init; }

    /// <summary>The machine whose counts and times the figures are: the order's machine, or the line's output machine.</summary>
    public required string MachineId { get; init; }

    public required string OrderId { get; init; }

    /// <summary>The product made; null when the order names none and no product was active.</summary>
    public string? ProductId { get; init; }

    public string? ProductName { get; init; }

    /// <summary>Units ordered; null when unknown.</summary>
    public long? Quantity { get; init; }

    /// <summary>When the order must be complete; null when it has none.</summary>
    public DateTimeOffset? Due { get; init; }

    public required OrderStatus Status { get; init; }

    /// <summary>Release: when the order started.</summary>
    public required DateTimeOffset Start { get; init; }

    /// <summary>Completion; null while not completed.</summary>
    public DateTimeOffset? End { get; init; }

    /// <summary>0 when first completed (or while running); +1 per republication of the completed order after late data.</summary>
    public required int Revision { get; init; }

    /// <summary>Order cycle time: release → completion (→ now while not completed), pauses, breaks and shift gaps included.</summary>
    public required TimeSpan CycleTime { get; init; }

    /// <summary>Production time inside it: the time the machine ran for the order (micro-stops included, pauses excluded).</summary>
    public required TimeSpan ProductionTime { get; init; }

    /// <summary>Time the order spent paused.</summary>
    public required TimeSpan PausedTime { get; init; }

    /// <summary>Changeover before it: from the previous order's end on the machine to this order's first good part; null with no previous order or no good part yet.</summary>
    public TimeSpan? ChangeoverTime { get; init; }

    /// <summary>When the order's first good part was counted.</summary>
    public DateTimeOffset? FirstGoodAt { get; init; }

    /// <summary>Counts made for the order.</summary>
    public required ProductionCounts Counts { get; init; }

    /// <summary>
    /// KPIs over the order's time (not paused): OEE/A/P/Q with the product's ideal time, first-pass yield, downtime by
    /// reason. Time outside any shift counts as planned stop unless the machine ran.
    /// </summary>
    public required KpiSet Kpi { get; init; }

    /// <summary>Good / quantity (may exceed 1); null without a quantity.</summary>
    public double? Progress { get; init; }

    /// <summary>Good units per hour over the order's time so far (pauses excluded).</summary>
    public double RatePerHour { get; init; }

    /// <summary>While not completed: when the remaining quantity is made at <see cref="RatePerHour"/>; null without a quantity or a rate.</summary>
    public DateTimeOffset? ProjectedCompletion { get; init; }

    /// <summary>
    /// Whether it makes (made) its due time: completed by <see cref="Due"/>, or projected to; false once the due time has
    /// passed with the order not complete (projection or not); null without a due time (or, before its due time,
    /// without a projection).
    /// </summary>
    public bool? OnTime { get; init; }

    /// <summary>Who or what started it (<c>signal:{name}</c>, <c>mqtt:{user}</c>, <c>board:{user}</c>).</summary>
    public string? StartedBy { get; init; }

    /// <summary>Who or what completed it.</summary>
    public string? CompletedBy { get; init; }
}
