using EdgeOps.Core.Orders;

namespace EdgeOps.Core.Engine.Events;

/// <summary>
/// A production order changed: <c>orderStarted</c>, <c>orderPaused</c>, <c>orderResumed</c>, <c>orderCompleted</c>
/// (its final record, revision 0) or <c>orderRevised</c> (a completed order changed by late data, higher revision).
/// For a line order the machine is the line's output machine and <see cref="OrderRecord.LineScope"/> is true.
/// <see cref="Who"/> made the change (<c>signal:{name}</c>, <c>mqtt:{user}</c>...); null for a revision. Recordings keep the
/// changes no signal made, so a replay repeats them.
/// </summary>
public sealed record OrderEvent(int MachineIndex, string MachineId, DateTimeOffset Timestamp, OrderChange Change, OrderRecord Record, string? Who = null)
    : EngineEvent(MachineIndex, MachineId, Timestamp)
{
    public override string Kind => Change switch
    {
        OrderChange.Started => "orderStarted",
        OrderChange.Paused => "orderPaused",
        OrderChange.Resumed => "orderResumed",
        OrderChange.Completed => "orderCompleted",
        _ => "orderRevised",
    };
}

/// <summary>What happened to an order.</summary>
public enum OrderChange
{
    Started,
    Paused,
    Resumed,
    Completed,
    Revised,
}
