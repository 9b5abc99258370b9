using EdgeOps.Core.Model;

namespace EdgeOps.Core.Engine.Events;

/// <summary>The machine's state category or reason changed.</summary>
/// <param name="From">Previous category.</param>
/// <param name="To">New category.</param>
/// <param name="FromReasonCode">Previous reason code.</param>
/// <param name="ReasonCode">New reason code ("running" while Running).</param>
/// <param name="ReasonLabel">New reason label.</param>
/// <param name="StopId">The stop the machine is now in (Down, Changeover, Idle), else null.</param>
public sealed record StateChangedEvent(
    int MachineIndex,
    string MachineId,
    DateTimeOffset Timestamp,
    StateCategory From,
    StateCategory To,
    string FromReasonCode,
    string ReasonCode,
    string ReasonLabel,
    long? StopId) : EngineEvent(MachineIndex, MachineId, Timestamp)
{
    public override string Kind => "stateChanged";
}
