namespace EdgeOps.Contract.Payloads;

/// <summary><c>.../{machine}/cmd/{verb}/reply</c>, QoS 1, not retained: the outcome of one inbound command.</summary>
public sealed record CommandReplyPayload : PayloadBase
{
    /// <inheritdoc />
    public override string Schema => PayloadSchemas.CommandReply;

    /// <summary>Machine id from the command topic.</summary>
    public required string Machine { get; init; }

    /// <summary>The verb from the command topic.</summary>
    public required string Verb { get; init; }

    /// <summary>The request's <c>requestId</c>, echoed so the sender can match the reply.</summary>
    public string? RequestId { get; init; }

    /// <summary>True when the command was applied.</summary>
    public required bool Ok { get; init; }

    /// <summary>Why it was not applied (names the field or the rule); nothing was changed.</summary>
    public string? Error { get; init; }

    /// <summary>The user the broker authenticated as the sender (embedded broker); absent when the broker does not say.</summary>
    public string? User { get; init; }

    /// <summary>The request's <c>operator</c>, a display name as the sender wrote it.</summary>
    public string? Operator { get; init; }

    /// <summary>True when this <c>requestId</c> was applied before: answered again, not applied twice.</summary>
    public bool? Duplicate { get; init; }
}
