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
