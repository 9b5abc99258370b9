namespace EdgeOps.Contract.Payloads;

/// <summary><c>.../{machine}/events</c>, QoS 1, not retained: one thing that happened. Published immediately.</summary>
public sealed record EventPayload : PayloadBase
{
    /// <inheritdoc />
    public override string Schema => PayloadSchemas.Event;

    /// <summary>Machine id.</summary>
    public required string Machine { get; init; }

    /// <summary>stateChanged, stopStarted, stopEnded, reasonAssigned, alarmRaised, alarmCleared, counterAnomaly,
    /// maintenanceDue, maintenanceOverdue, maintenanceReset, shiftClosed, unmappedStateCode, invalidStateInput,
    /// productChanged, orderStarted, orderPaused, orderResumed, orderCompleted, orderRevised
    /// (<see cref="PayloadNames.EventTypes"/>).</summary>
    public required string Type { get; init; }

    /// <summary>info, warning or critical.</summary>
    public required string Severity { get; init; }

    /// <summary>One line for a human.</summary>
    public required string Message { get; init; }

    /// <summary>When it happened (may be before <see cref="PayloadBase.Ts"/>).</summary>
    public required DateTimeOffset At { get; init; }

    /// <summary>The state after a change.</summary>
    public string? State { get; init; }

    /// <summary>The state before a change.</summary>
    public string? PreviousState { get; init; }

    /// <summary>Reason code involved.</summary>
    public string? ReasonCode { get; init; }

    /// <summary>Reason label.</summary>
    public string? ReasonLabel { get; init; }

    /// <summary>Duration (a stop that ended), seconds.</summary>
    public double? DurationS { get; init; }

    /// <summary>Signal or counter involved.</summary>
    public string? Signal { get; init; }

    /// <summary>Value involved (reading, jump size).</summary>
    public double? Value { get; init; }

    /// <summary>The order, for orderStarted, orderPaused, orderResumed, orderCompleted and orderRevised.</summary>
    public OrderDetails? Order { get; init; }

    /// <summary>Further facts as text, by name.</summary>
    public IReadOnlyDictionary<string, string>? Details { get; init; }
}
