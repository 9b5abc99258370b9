namespace EdgeOps.Contract.Payloads;

/// <summary><c>.../{machine}/counts</c>, retained: counts of the current shift and lifetime totals.</summary>
public sealed record CountsPayload : PayloadBase
{
    /// <inheritdoc />
    public override string Schema => PayloadSchemas.Counts;

    /// <summary>Machine id.</summary>
    public required string Machine { get; init; }

    /// <summary>Start of the shift the <see cref="Shift"/> counts belong to.</summary>
    public DateTimeOffset? ShiftStart { get; init; }

    /// <summary>Counts since the shift started.</summary>
    public required CountSet Shift { get; init; }

    /// <summary>Counts since the gateway first saw the machine (never reset).</summary>
    public required CountSet Lifetime { get; init; }
}

/// <summary>Units processed (total), passed (good), scrapped (reject) and reworked.</summary>
public sealed record CountSet(long Total, long Good, long Reject, long? Rework = null);
