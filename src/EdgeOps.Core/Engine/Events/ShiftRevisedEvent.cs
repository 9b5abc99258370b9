using EdgeOps.Core.Kpi;

namespace EdgeOps.Core.Engine.Events;

/// <summary>
/// A closed shift changed (late data, a reason assigned to one of its stops); <see cref="Record"/> carries the new
/// revision (&gt; 0) and replaces the retained summary. Many late signals in one batch give one revision.
/// </summary>
public sealed record ShiftRevisedEvent(int MachineIndex, string MachineId, DateTimeOffset Timestamp, ShiftRecord Record)
    : EngineEvent(MachineIndex, MachineId, Timestamp)
{
    public override string Kind => "shiftRevised";
}
