namespace EdgeOps.Core.Orders;

/// <summary>Limits on what an order command may carry; the field names a refusal uses.</summary>
public static class OrderLimits
{
    /// <summary>Longest accepted order id (ERP order numbers are 10–20 characters; 64 leaves room for prefixes).</summary>
    public const int MaxOrderIdLength = 64;

    /// <summary>Field name of the order id in refusals and command payloads.</summary>
    public const string OrderIdField = "orderId";

    /// <summary>Field name of the product id.</summary>
    public const string ProductField = "product";

    /// <summary>Field name of the quantity ordered.</summary>
    public const string QuantityField = "quantity";

    /// <summary>Field name of the due time.</summary>
    public const string DueField = "due";

    /// <summary>Field name of the machine (or line) the order runs on.</summary>
    public const string MachineField = "machine";
}
