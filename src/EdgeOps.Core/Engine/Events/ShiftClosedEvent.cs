using EdgeOps.Core.Kpi;

namespace EdgeOps.Core.Engine.Events;

/// <summary>A shift ended; <see cref="Record"/> is the machine's summary (revision 0), to publish retained.</summary>
public sealed record ShiftClosedEvent(int MachineIndex, string MachineId, DateTimeOffset Timestamp, ShiftRecord Record)
    : EngineEvent(MachineIndex, MachineId, Timestamp)
{
    public override string Kind => "shiftClosed";
}
