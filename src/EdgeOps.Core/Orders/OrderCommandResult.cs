namespace EdgeOps.Core.Orders;

/// <summary>
/// The outcome of an order command (start, pause, resume, complete). A refusal names the field at fault
/// (<see cref="OrderLimits"/>) and changes nothing: every check runs before anything is applied.
/// </summary>
/// <param name="Accepted">True when the command was applied.</param>
/// <param name="Field">The field a refusal is about (<c>orderId</c>, <c>product</c>, <c>quantity</c>, <c>due</c>, <c>machine</c>); null when accepted.</param>
/// <param name="Error">What is wrong, naming the value found (and the configured choices); null when accepted.</param>
/// <param name="Order">The order's record after the command (for start: the new order); null when refused.</param>
/// <param name="Completed">For a start that replaced a running order: that order's final record; otherwise null.</param>
public sealed record OrderCommandResult(bool Accepted, string? Field, string? Error, OrderRecord? Order, OrderRecord? Completed = null)
{
    /// <summary>A refusal naming <paramref name="field"/>.</summary>
    public static OrderCommandResult Refused(string field, string error) => new(false, field, error, null);
}
