namespace EdgeOps.Core.Orders;

/// <summary>Where a production order is in its life.</summary>
public enum OrderStatus
{
    /// <summary>Started (released) and counting.</summary>
    Running,
    /// <summary>Interrupted: its cycle time goes on, its production time and counts do not.</summary>
    Paused,
    /// <summary>Completed; revised (higher revision) when late data changes it.</summary>
    Completed,
}
