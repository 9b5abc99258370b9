using EdgeOps.Core.Signals;

namespace EdgeOps.Core.Engine.Events;

/// <summary>
/// A state input sent a code its machine's tables do not map (a state code missing from <c>stateCodes</c>, a unit
/// mode missing from <c>unitModes</c>, a stop reason missing from <c>faultCodes</c>). Reported once per signal and
/// code, so commissioning sees what the PLC sends that the line file does not know.
/// </summary>
/// <param name="SignalName">The signal that sent it.</param>
/// <param name="Role">The signal's role (stateCode, unitMode, stopReason).</param>
/// <param name="Code">The code.</param>
public sealed record UnmappedStateCodeEvent(
    int MachineIndex,
    string MachineId,
    DateTimeOffset Timestamp,
    string SignalName,
    SignalRole Role,
    long Code) : EngineEvent(MachineIndex, MachineId, Timestamp)
{
    public override string Kind => "unmappedStateCode";
}
