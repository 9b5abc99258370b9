using EdgeOps.Core.Model;

namespace EdgeOps.Contract.Payloads;

/// <summary>The wire spellings of enumerations (the JSON Schemas list the same values).</summary>
public static class PayloadNames
{
    /// <summary>running, idle, changeover, down, plannedStop, offline.</summary>
    public static string State(StateCategory category) => category switch
    {
        StateCategory.Running => "running",
        StateCategory.Idle => "idle",
        StateCategory.Changeover => "changeover",
        StateCategory.Down => "down",
        StateCategory.PlannedStop => "plannedStop",
        StateCategory.Offline => "offline",
        _ => throw new ArgumentOutOfRangeException(nameof(category), category, "Unknown state category."),
    };

    /// <summary>Event types the gateway publishes.</summary>
    public static IReadOnlyList<string> EventTypes { get; } =
    [
        "stateChanged", "stopStarted", "stopEnded", "reasonAssigned", "plannedStopMarked", "alarmRaised", "alarmCleared",
        "counterAnomaly", "maintenanceDue", "maintenanceOverdue", "maintenanceReset", "shiftClosed",
        "unmappedStateCode", "invalidStateInput", "productChanged", "orderStarted", "orderPaused", "orderResumed",
        "orderCompleted", "orderRevised",
    ];

    /// <summary>running, paused, completed.</summary>
    public static string OrderStatus(EdgeOps.Core.Orders.OrderStatus status) => status switch
    {
        EdgeOps.Core.Orders.OrderStatus.Running => "running",
        EdgeOps.Core.Orders.OrderStatus.Paused => "paused",
        EdgeOps.Core.Orders.OrderStatus.Completed => "completed",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Unknown order status."),
    };
}
