using EdgeOps.Contract;

namespace EdgeOps.Publishing.Mqtt.Commands;

/// <summary>A validated inbound command for one machine.</summary>
public abstract record MachineCommand
{
    /// <summary>The machine's topics (site, area, line, machine id).</summary>
    public required MachineTopics Machine { get; init; }

    /// <summary>The sender's id for the request, echoed in the reply.</summary>
    public string? RequestId { get; init; }

    /// <summary>
    /// The payload's <c>operator</c> (badge, HMI name): a display name only, since the sender writes what it likes. The
    /// audit trail records <see cref="RecordedBy"/>.
    /// </summary>
    public string? Operator { get; init; }

    /// <summary>The user the broker authenticated (the embedded broker tells it); null when the broker did not say.</summary>
    public string? User { get; init; }

    /// <summary>The payload's <c>ts</c>: when the sender made the command (its age is checked against the maximum).</summary>
    public DateTimeOffset? SentAt { get; init; }

    /// <summary>The payload's <c>expiresAt</c>: not applied after this.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>
    /// Who the audit event names: the authenticated user, with the display name after it when one was given
    /// (<c>mes (badge-17)</c>); without an authenticated user, the display name (or <c>mqtt</c>).
    /// </summary>
    public string RecordedBy =>
        User is null ? (string.IsNullOrWhiteSpace(Operator) ? "mqtt" : Operator)
        : string.IsNullOrWhiteSpace(Operator) || Operator == User ? User
        : $"{User} ({Operator})";

    /// <summary>When the gateway received it.</summary>
    public required DateTimeOffset ReceivedAt { get; init; }

    /// <summary>The verb.</summary>
    public abstract string Verb { get; }
}

/// <summary>Assign <see cref="ReasonCode"/> to the stop in progress (<see cref="StopStartedAt"/> null) or to the stop that began then.</summary>
public sealed record AssignReasonCommand : MachineCommand
{
    /// <inheritdoc />
    public override string Verb => CommandVerb.AssignReason;

    /// <summary>A reason code from the line's configuration.</summary>
    public required string ReasonCode { get; init; }

    /// <summary>Start of a past stop; null (with <see cref="StopId"/> null) for the current one.</summary>
    public DateTimeOffset? StopStartedAt { get; init; }

    /// <summary>Id of the stop (from the state payload or a stop event); wins over <see cref="StopStartedAt"/>.</summary>
    public long? StopId { get; init; }

    /// <summary>Free text.</summary>
    public string? Comment { get; init; }
}

/// <summary>Record that maintenance item <see cref="Item"/> was done: its usage since the last reset restarts at zero.</summary>
public sealed record ResetMaintenanceCommand : MachineCommand
{
    /// <inheritdoc />
    public override string Verb => CommandVerb.ResetMaintenance;

    /// <summary>Maintenance item of the machine's <c>maintenance:</c> section (e.g. <c>lubrication</c>).</summary>
    public required string Item { get; init; }
}

/// <summary>Start (<see cref="Active"/> true) or end a planned stop.</summary>
public sealed record PlannedStopCommand : MachineCommand
{
    /// <inheritdoc />
    public override string Verb => CommandVerb.PlannedStop;

    /// <summary>true starts a planned stop, false ends it.</summary>
    public required bool Active { get; init; }

    /// <summary>Reason code of the planned stop (e.g. <c>maintenance</c>), for the audit trail.</summary>
    public string? ReasonCode { get; init; }
}

/// <summary>
/// Start (release) production order <see cref="OrderId"/> of <see cref="Product"/> on the topic's machine, or on the
/// line when the topic's machine level is <c>_line</c>.
/// </summary>
public sealed record StartOrderCommand : MachineCommand
{
    /// <inheritdoc />
    public override string Verb => CommandVerb.StartOrder;

    /// <summary>The order's id (an ERP order number): 1 to 64 characters, no control characters.</summary>
    public required string OrderId { get; init; }

    /// <summary>A product id of the line file's <c>products:</c>.</summary>
    public required string Product { get; init; }

    /// <summary>Units ordered, more than 0.</summary>
    public required long Quantity { get; init; }

    /// <summary>When the order must be complete; null when it has no due time.</summary>
    public DateTimeOffset? Due { get; init; }
}

/// <summary>Complete, pause or resume (<see cref="Action"/>, a verb) the machine's (or the line's) current order.</summary>
public sealed record OrderChangeCommand : MachineCommand
{
    /// <inheritdoc />
    public override string Verb => Action;

    /// <summary><see cref="CommandVerb.CompleteOrder"/>, <see cref="CommandVerb.PauseOrder"/> or <see cref="CommandVerb.ResumeOrder"/>.</summary>
    public required string Action { get; init; }

    /// <summary>The order meant; when given it must be the current one (a stale screen must not complete the next order).</summary>
    public string? OrderId { get; init; }
}
