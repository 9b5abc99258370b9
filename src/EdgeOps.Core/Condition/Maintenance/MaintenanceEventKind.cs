namespace EdgeOps.Core.Condition.Maintenance;

/// <summary>What happened to a maintenance item.</summary>
public enum MaintenanceEventKind
{
    /// <summary>An interval was used up.</summary>
    Due,
    /// <summary>An interval was exceeded by more than the grace.</summary>
    Overdue,
    /// <summary>Someone recorded the maintenance as done: the item's counters restart.</summary>
    Reset,
}
