using EdgeOps.Core.Condition;
using EdgeOps.Core.Condition.Alarms;
using EdgeOps.Core.Condition.Maintenance;
using EdgeOps.Core.Model;

namespace EdgeOps.Core.Engine;

/// <summary>
/// Receives what condition monitoring and maintenance counting produce (the JSON contract's bridge, the Sparkplug edge
/// node). Declared here beside <see cref="IEngineSink"/> so each encoding implements it and the host fans out to all.
/// Called on the engine thread: implementations only hand work off, never block or do I/O.
/// </summary>
public interface IConditionSink
{
    /// <summary>A window's features of one analog signal, at the rate its publish interval allows.</summary>
    void Condition(ConditionSnapshot snapshot, ConditionDefinition definition, string? unit);

    /// <summary>Alarm raises and clears of one machine (possibly none), with its alarms raised now.</summary>
    void Alarms(string machine, IReadOnlyList<AlarmEvent> events, IEnumerable<ActiveAlarm> active);

    /// <summary>Maintenance events of one machine (possibly none) with its counters and configured items.</summary>
    void Maintenance(MaintenanceCounters counters, IReadOnlyList<MaintenanceDefinition> items, IReadOnlyList<MaintenanceEvent> events);
}
