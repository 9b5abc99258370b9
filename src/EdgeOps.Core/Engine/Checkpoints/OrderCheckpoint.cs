using EdgeOps.Core.Orders;

namespace EdgeOps.Core.Engine.Checkpoints;

/// <summary>
/// A production order (running, paused, or completed and still kept for late data): identity, life, active
/// intervals and its own accumulators per machine in scope. Machines refer to it by its index in
/// <see cref="EngineCheckpoint.Orders"/>.
/// </summary>
public sealed record OrderCheckpoint
{
    public required string OrderId { get; init; }
    /// <summary>Product id; null for none (or a product no longer configured).</summary>
    public string? Product { get; init; }
    public long? Quantity { get; init; }
    public DateTimeOffset? Due { get; init; }
    public bool LineScope { get; init; }
    /// <summary>The machine whose figures the record shows.</summary>
    public required string RecordMachine { get; init; }
    public required DateTimeOffset Start { get; init; }
    public DateTimeOffset? End { get; init; }
    public OrderStatus Status { get; init; }
    public long PausedTicks { get; init; }
    public DateTimeOffset PausedSince { get; init; }
    public DateTimeOffset? PreviousEnd { get; init; }
    public DateTimeOffset? FirstGood { get; init; }
    /// <summary>Active intervals; the last one has no end while the order runs.</summary>
    public IReadOnlyList<OrderSegmentCheckpoint> Segments { get; init; } = [];
    public int Revision { get; init; }
    /// <summary>Completed and changed by late data but not yet republished.</summary>
    public bool Dirty { get; init; }
    public string? StartedBy { get; init; }
    public string? CompletedBy { get; init; }
    /// <summary>The order's totals on each machine in its scope.</summary>
    public IReadOnlyList<AccumulatorCheckpoint> Machines { get; init; } = [];
}

/// <summary>An interval the order was active (not paused) in.</summary>
public sealed record OrderSegmentCheckpoint(DateTimeOffset From, DateTimeOffset? To);

/// <summary>From <see cref="From"/> on, <see cref="Product"/> (null: none) was active with this ideal time per unit.</summary>
public sealed record ProductSpanCheckpoint(DateTimeOffset? From, string? Product, long IdealTicks);
