namespace EdgeOps.Core.Engine.Events;

/// <summary>Someone gave a stop its reason (command from the andon board or MQTT).</summary>
/// <param name="StopId">The stop.</param>
/// <param name="StopStart">When the stop began.</param>
/// <param name="PreviousReasonCode">Its reason before.</param>
/// <param name="ReasonCode">The assigned reason code.</param>
/// <param name="ReasonLabel">The assigned reason's label.</param>
/// <param name="Who">Who assigned it (user or system id, as given).</param>
public sealed record ReasonAssignedEvent(
    int MachineIndex,
    string MachineId,
    DateTimeOffset Timestamp,
    long StopId,
    DateTimeOffset StopStart,
    string PreviousReasonCode,
    string ReasonCode,
    string ReasonLabel,
    string Who) : EngineEvent(MachineIndex, MachineId, Timestamp)
{
    public override string Kind => "reasonAssigned";
}
