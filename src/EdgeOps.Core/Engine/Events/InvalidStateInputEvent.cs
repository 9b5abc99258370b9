namespace EdgeOps.Core.Engine.Events;

/// <summary>
/// An integer state input (stateCode, statusWord, unitMode, stopReason) got a value that cannot be one: not a whole
/// number (a string or a Boolean the source could not read as a code arrives as NaN), a negative state code no entry
/// maps, a status word wider than its declared width. Reported once until the input sends a valid value again.
/// </summary>
/// <param name="SignalName">The signal.</param>
/// <param name="Value">The value received; null when it was not a number at all (NaN, infinite), which JSON cannot carry.</param>
/// <param name="Problem">What is wrong and what the engine did about it.</param>
public sealed record InvalidStateInputEvent(
    int MachineIndex,
    string MachineId,
    DateTimeOffset Timestamp,
    string SignalName,
    double? Value,
    string Problem) : EngineEvent(MachineIndex, MachineId, Timestamp)
{
    public override string Kind => "invalidStateInput";
}
