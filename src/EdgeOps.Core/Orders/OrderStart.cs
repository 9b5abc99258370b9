namespace EdgeOps.Core.Orders;

/// <summary>
/// What starting a production order needs: its id, and optionally the product (a configured product id), the
/// quantity ordered (units, more than 0) and when it is due.
/// </summary>
/// <param name="OrderId">1 to <see cref="OrderLimits.MaxOrderIdLength"/> characters, no control characters.</param>
/// <param name="ProductId">A configured product id; null keeps the product active on the machine (or none).</param>
/// <param name="Quantity">Units ordered, more than 0; null when unknown (no progress or projection then).</param>
/// <param name="Due">When the order must be complete; null when it has no due time.</param>
public sealed record OrderStart(string OrderId, string? ProductId = null, long? Quantity = null, DateTimeOffset? Due = null);
