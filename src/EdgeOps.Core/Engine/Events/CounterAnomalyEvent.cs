namespace EdgeOps.Core.Engine.Events;

/// <summary>A count input did something other than count up plausibly.</summary>
/// <param name="Anomaly">What happened.</param>
/// <param name="SignalName">The count signal's name.</param>
/// <param name="PreviousValue">The totalizer's previous raw value (0 for pulses).</param>
/// <param name="Value">The raw value received.</param>
/// <param name="Counted">Units counted from this value (0 when quarantined or re-baselined).</param>
public sealed record CounterAnomalyEvent(
    int MachineIndex,
    string MachineId,
    DateTimeOffset Timestamp,
    CounterAnomalyKind Anomaly,
    string SignalName,
    double PreviousValue,
    double Value,
    long Counted) : EngineEvent(MachineIndex, MachineId, Timestamp)
{
    public override string Kind => "counterAnomaly";
}
