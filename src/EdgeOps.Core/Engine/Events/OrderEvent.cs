using EdgeOps.Core.Orders;

namespace EdgeOps.Core.Engine.Events;

/// <summary>
/// A production order changed: <c>orderStarted</c>, <c>orderPaused</c>, <c>orderResumed</c>, <c>orderCompleted</c>
/// (its final record, revision 0) or <c>orderRevised</c> (a completed order changed by late data, higher revision).
/// For a line order the machine is the line's output machine and <see cref="OrderRecord.LineScope"/> is true.
/// </summary>
public sealed record OrderEvent(int MachineIndex, string MachineId, DateTimeOffset Timestamp, OrderChange Change, OrderRecord Record)
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
