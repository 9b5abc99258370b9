namespace EdgeOps.Core.Kpi;

/// <summary>
/// Counts of one machine over a period. <see cref="Total"/> is what it processed, <see cref="Good"/> what passed,
/// <see cref="Reject"/> what was scrapped, <see cref="Rework"/> what needed rework (first-pass yield).
/// When only two of total/good/reject are wired, the third is derived from them.
/// </summary>
public sealed record ProductionCounts(long Total, long Good, long Reject, long Rework)
{
    public static ProductionCounts Zero { get; } = new(0, 0, 0, 0);
}
