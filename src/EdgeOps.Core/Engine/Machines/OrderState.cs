using EdgeOps.Core.Orders;

namespace EdgeOps.Core.Engine.Machines;

/// <summary>
/// A production order inside the engine: its identity, its own accumulators per machine in scope (a line order has
/// one per machine, its record reads the output machine's) and the intervals it was active in, so a late count finds
/// the order of its instant.
/// </summary>
internal sealed class OrderState
{
    public OrderState(string id, int product, long? quantity, long? dueTicks, bool lineScope, int recordMachine, long startTicks, MachineAccumulator?[] accumulators)
    {
        Id = id;
        Product = product;
        Quantity = quantity;
        DueTicks = dueTicks;
        LineScope = lineScope;
        RecordMachine = recordMachine;
        StartTicks = startTicks;
        Accumulators = accumulators;
        Segments.Add((startTicks, long.MaxValue));
    }

    public string Id { get; }
    public int Product;
    public long? Quantity { get; }
    public long? DueTicks { get; }
    public bool LineScope { get; }
    /// <summary>The machine whose figures the record shows (the line's output machine for a line order).</summary>
    public int RecordMachine { get; }
    public long StartTicks { get; }
    public long EndTicks = long.MaxValue;
    public OrderStatus Status = OrderStatus.Running;
    public long PausedTicks;
    public long PausedSince;
    /// <summary>Per machine index; null for machines outside the order's scope.</summary>
    public MachineAccumulator?[] Accumulators { get; }
    /// <summary>The previous order's end on the record machine; long.MinValue when there was none.</summary>
    public long PreviousEndTicks = long.MinValue;
    public long FirstGoodTicks = long.MaxValue;
    /// <summary>Active (not paused) intervals [from, to); the last one is open (to = long.MaxValue) while running.</summary>
    public List<(long From, long To)> Segments { get; } = [];
    public int Revision;
    /// <summary>Completed and changed by late data since its last publication.</summary>
    public bool Dirty;
    public string? StartedBy;
    public string? CompletedBy;

    public bool ActiveAt(long t)
    {
        for (var i = Segments.Count - 1; i >= 0; i--)
        {
            var (from, to) = Segments[i];
            if (t >= from && t < to)
            {
                return true;
            }
        }

        return false;
    }

    public void CloseSegment(long t) => Segments[^1] = (Segments[^1].From, t);
}
