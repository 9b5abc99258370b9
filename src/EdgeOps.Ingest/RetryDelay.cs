namespace EdgeOps.Ingest;

/// <summary>How long to wait before the next attempt: the server's Retry-After when it sent one, otherwise exponential backoff.</summary>
public static class RetryDelay
{
    public static readonly TimeSpan Initial = TimeSpan.FromMilliseconds(200);
    public static readonly TimeSpan Max = TimeSpan.FromSeconds(30);

    /// <summary>Longest Retry-After we obey: a bogus header must not park the historian for a day.</summary>
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromMinutes(5);

    /// <param name="attempt">0 for the first retry.</param>
    /// <param name="retryAfter">The server's Retry-After, if any.</param>
    /// <param name="jitter">0..1, spreads historians that failed together (0.5 = none).</param>
    public static TimeSpan Next(int attempt, TimeSpan? retryAfter, double jitter)
    {
        if (retryAfter is { } serverWait)
        {
            return serverWait < TimeSpan.Zero ? TimeSpan.Zero : serverWait > MaxRetryAfter ? MaxRetryAfter : serverWait;
        }

        // ±20 % rather than Backoff.WithJitter's half: a write retry budget is seconds, so the spread stays narrow.
        var wait = Backoff.Exponential(Initial, Max, attempt) * (0.8 + (0.4 * Math.Clamp(jitter, 0, 1)));
        return wait > Max ? Max : wait;
    }
}
