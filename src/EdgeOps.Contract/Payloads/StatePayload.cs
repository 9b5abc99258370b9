namespace EdgeOps.Contract.Payloads;

/// <summary><c>.../{machine}/state</c>, retained: the current state, its reason and since when.</summary>
public sealed record StatePayload : PayloadBase
{
    /// <inheritdoc />
    public override string Schema => PayloadSchemas.State;

    /// <summary>Machine id.</summary>
    public required string Machine { get; init; }

    /// <summary>running, idle, changeover, down, plannedStop or offline (<see cref="PayloadNames.State"/>).</summary>
    public required string State { get; init; }

    /// <summary>Reason code of the current state interval (<c>unknown</c> when none is known).</summary>
    public required string ReasonCode { get; init; }

    /// <summary>Human label of the reason.</summary>
    public required string ReasonLabel { get; init; }

    /// <summary>When the current state began.</summary>
    public required DateTimeOffset Since { get; init; }

    /// <summary>Id of the stop in progress (for <c>cmd/assign-reason</c>); null while running.</summary>
    public long? StopId { get; init; }
}
