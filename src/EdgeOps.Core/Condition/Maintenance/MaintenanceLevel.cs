namespace EdgeOps.Core.Condition.Maintenance;

/// <summary>How far a maintenance item has used up its interval.</summary>
public enum MaintenanceLevel
{
    /// <summary>Below 100 % of every configured interval.</summary>
    Ok,
    /// <summary>At or past 100 % of an interval.</summary>
    Due,
    /// <summary>Past 100 % + grace of an interval.</summary>
    Overdue,
}
