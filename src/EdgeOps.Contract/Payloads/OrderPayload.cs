namespace EdgeOps.Contract.Payloads;

/// <summary>
/// <c>.../{machine}/order</c> (a machine's order) or <c>.../{line}/_line/order</c> (a line order), retained: the current
/// production order (running or paused) with its progress and projection, or the last completed one while none runs.
/// Published when it starts, pauses, resumes or completes, and while it runs on change at most once per
/// <c>MinKpiInterval</c>.
/// </summary>
public sealed record OrderPayload : PayloadBase
{
    /// <inheritdoc />
    public override string Schema => PayloadSchemas.Order;

    /// <summary>The topic's machine level: the machine id, or <see cref="MqttTopics.LineLevel"/> for a line order.</summary>
    public required string Machine { get; init; }

    /// <summary>The order.</summary>
    public required OrderDetails Order { get; init; }
}

/// <summary>
/// One production order (docs/engine.md, "Orders"): the body of the <c>order</c> topic and of the
/// <c>orderStarted</c>/<c>orderCompleted</c>/<c>orderRevised</c> events.
/// </summary>
public sealed record OrderDetails
{
    /// <summary>The order id (1–64 characters, no control characters).</summary>
    public required string OrderId { get; init; }

    /// <summary><c>machine</c> or <c>line</c>.</summary>
    public required string Scope { get; init; }

    /// <summary>The machine whose counts and times the figures are (a line order: the line's output machine).</summary>
    public required string Machine { get; init; }

    /// <summary>Product id; absent when the order names none.</summary>
    public string? Product { get; init; }

    /// <summary>Product name.</summary>
    public string? ProductName { get; init; }

    /// <summary>Units ordered; absent when unknown.</summary>
    public long? Quantity { get; init; }

    /// <summary>Due time; absent when none.</summary>
    public DateTimeOffset? Due { get; init; }

    /// <summary><c>running</c>, <c>paused</c> or <c>completed</c>.</summary>
    public required string Status { get; init; }

    /// <summary>Release.</summary>
    public required DateTimeOffset Start { get; init; }

    /// <summary>Completion; absent until completed.</summary>
    public DateTimeOffset? End { get; init; }

    /// <summary>0, +1 per republication of a completed order after late data.</summary>
    public required int Revision { get; init; }

    /// <summary>Order cycle time (release → completion, or → now), seconds.</summary>
    public required double CycleTimeS { get; init; }

    /// <summary>Production time inside it (the machine ran for the order), seconds.</summary>
    public required double ProductionTimeS { get; init; }

    /// <summary>Time paused, seconds.</summary>
    public required double PausedTimeS { get; init; }

    /// <summary>Changeover before it (previous order's end → first good part), seconds.</summary>
    public double? ChangeoverTimeS { get; init; }

    /// <summary>First good part.</summary>
    public DateTimeOffset? FirstGoodAt { get; init; }

    /// <summary>Counts made for the order.</summary>
    public required CountSet Counts { get; init; }

    /// <summary>First-pass yield.</summary>
    public double? FirstPassYield { get; init; }

    /// <summary>OEE over the order's time.</summary>
    public double? Oee { get; init; }

    /// <summary>Availability over the order's time.</summary>
    public double? Availability { get; init; }

    /// <summary>Performance with the product's ideal time.</summary>
    public double? Performance { get; init; }

    /// <summary>Quality.</summary>
    public double? Quality { get; init; }

    /// <summary>Planned production time inside the order, seconds.</summary>
    public required double PlannedProductionTimeS { get; init; }

    /// <summary>Downtime inside the order, seconds.</summary>
    public required double DowntimeS { get; init; }

    /// <summary>Downtime per reason, longest first.</summary>
    public required IReadOnlyList<ReasonDowntime> DowntimeByReason { get; init; }

    /// <summary>Good / quantity; absent without a quantity.</summary>
    public double? Progress { get; init; }

    /// <summary>Good units per hour over the order's time (pauses excluded).</summary>
    public required double RatePerHour { get; init; }

    /// <summary>Projected completion at that rate; absent without a quantity, a rate, or once completed.</summary>
    public DateTimeOffset? ProjectedCompletion { get; init; }

    /// <summary>Makes (made) its due time; absent without a due time or a projection.</summary>
    public bool? OnTime { get; init; }

    /// <summary>Who or what started it.</summary>
    public string? StartedBy { get; init; }

    /// <summary>Who or what completed it.</summary>
    public string? CompletedBy { get; init; }
}
