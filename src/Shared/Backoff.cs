namespace EdgeOps;

/// <summary>
/// Capped exponential backoff: the one rule every retry loop uses (reconnects, reopening a device, restarting a
/// source, rewriting a batch). The first wait is the initial delay, each further failure doubles it, the cap bounds it.
/// </summary>
/// <remarks>
/// Linked as source into each project that retries (one small class, and the standalone client libraries must not
/// reference a shared project). Pure: the caller sleeps on its own <see cref="TimeProvider"/>.
/// </remarks>
internal static class Backoff
{
    /// <summary>
    /// The wait before retry number <paramref name="attempt"/> (0 for the first): <paramref name="initial"/> doubled
    /// <paramref name="attempt"/> times, never more than <paramref name="max"/>.
    /// </summary>
    public static TimeSpan Exponential(TimeSpan initial, TimeSpan max, int attempt)
    {
        // In double, so a long outage's attempt count cannot overflow the shift; the cap applies either way.
        var ticks = initial.Ticks * Math.Pow(2, Math.Clamp(attempt, 0, 62));
        return ticks >= max.Ticks ? max : TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>The wait after <paramref name="current"/> failed once more: doubled, never more than <paramref name="max"/>.</summary>
    public static TimeSpan Next(TimeSpan current, TimeSpan max) =>
        current.Ticks >= max.Ticks / 2 ? max : current * 2;

    /// <summary>
    /// <paramref name="delay"/> with jitter: half of it fixed, the other half scaled by <paramref name="random"/>
    /// (0..1), so devices that failed together (a broker restart) do not all retry in step.
    /// </summary>
    public static TimeSpan WithJitter(TimeSpan delay, double random) =>
        (delay / 2) + (delay / 2 * Math.Clamp(random, 0, 1));
}
