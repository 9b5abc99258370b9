namespace EdgeOps.Core.Condition.Alarms;

/// <summary>What happened to an alarm.</summary>
public enum AlarmTransition
{
    Raised,
    Cleared,
}
