namespace EdgeOps.Core.Engine.Events;

/// <summary>
/// A count arrived for a time older than the closed shifts the engine keeps (or before it first started):
/// it is not counted anywhere; this event is the record of it.
/// </summary>
/// <param name="SignalName">The count signal's name.</param>
/// <param name="SignalTimestamp">The signal's own timestamp.</param>
/// <param name="Value">The value that was not counted.</param>
public sealed record LateDataDroppedEvent(
    int MachineIndex,
    string MachineId,
    DateTimeOffset Timestamp,
    string SignalName,
    DateTimeOffset SignalTimestamp,
    double Value) : EngineEvent(MachineIndex, MachineId, Timestamp)
{
    public override string Kind => "lateDataDropped";
}
