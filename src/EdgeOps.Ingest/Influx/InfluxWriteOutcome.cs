namespace EdgeOps.Ingest;

/// <summary>What the server said about one write request.</summary>
public enum InfluxWriteStatus
{
    /// <summary>Every line was stored.</summary>
    Accepted,

    /// <summary>The server refused the request's content (400/422): retrying it unchanged cannot succeed.</summary>
    Rejected,

    /// <summary>The server could not take it now (network error, timeout, 429, 5xx): retry later.</summary>
    Unavailable,
}

/// <summary>The result of one write request; <see cref="RetryAfter"/> carries the server's Retry-After when it sent one.</summary>
public sealed record InfluxWriteOutcome(InfluxWriteStatus Status, int? HttpStatus, string? Message, TimeSpan? RetryAfter)
{
    public static readonly InfluxWriteOutcome Ok = new(InfluxWriteStatus.Accepted, 204, null, null);
}
