namespace EdgeOps.Core.Model;

/// <summary>
/// Machine state categories. The numeric order is the precedence when several inputs are active at once:
/// Offline &gt; PlannedStop &gt; Down &gt; Changeover &gt; Idle &gt; Running (design section 3).
/// </summary>
public enum StateCategory
{
    Running = 0,
    Idle = 1,
    Changeover = 2,
    Down = 3,
    PlannedStop = 4,
    Offline = 5,
}
