namespace EdgeOps.Ingest;

/// <summary>What <see cref="ContractPointMapper"/> made of a message.</summary>
public enum MapStatus
{
    /// <summary>One or more points.</summary>
    Mapped,

    /// <summary>Not history (a command topic): acknowledged and dropped on purpose.</summary>
    Ignored,

    /// <summary>Malformed, unknown topic or unknown schema version: goes to the dead letters with the reason.</summary>
    Invalid,
}
