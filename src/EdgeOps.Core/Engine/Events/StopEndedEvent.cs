using EdgeOps.Core.Model;

namespace EdgeOps.Core.Engine.Events;

/// <summary>A stop (a contiguous Down, Changeover or Idle interval) ended; <see cref="EngineEvent.Timestamp"/> is its end.</summary>
/// <param name="StopId">Engine-wide id of the stop, usable with <see cref="LineEngine.AssignReason(string, long, string, string, out string?)"/>.</param>
/// <param name="Start">When the stop began.</param>
/// <param name="Duration">How long it lasted.</param>
/// <param name="Category">Down, Changeover or Idle.</param>
/// <param name="ReasonCode">Its reason code.</param>
/// <param name="ReasonLabel">Its reason label.</param>
/// <param name="IsMicroStop">True when shorter than the micro-stop threshold (a performance loss, not downtime).</param>
public sealed record StopEndedEvent(
    int MachineIndex,
    string MachineId,
    DateTimeOffset Timestamp,
    long StopId,
    DateTimeOffset Start,
    TimeSpan Duration,
    StateCategory Category,
    string ReasonCode,
    string ReasonLabel,
    bool IsMicroStop) : EngineEvent(MachineIndex, MachineId, Timestamp)
{
    public override string Kind => "stopEnded";
}
