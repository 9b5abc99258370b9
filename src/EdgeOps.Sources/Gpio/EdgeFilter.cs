namespace EdgeOps.Sources.Gpio;

/// <summary>A debounced change of a logical input level, stamped with the raw edge that began it.</summary>
public readonly record struct LevelTransition(bool Level, long TimestampTicks);

/// <summary>
/// Debounce and minimum width for one input, in logical levels (active-low already applied), driven only by the
/// edge times it is given, so a bounce train replays the same way every time.
/// A raw level is believed once it has held for its hold time (<c>debounce</c>, or <c>max(debounce, minWidth)</c>
/// for the active level of a pulse input, or <c>max(debounce, settle)</c> for a level input); the transition then
/// carries the time of the raw edge that began the held level. A raw level that falls back before its hold time
/// is bounce or a spike and is forgotten.
/// </summary>
/// <remarks>Not thread-safe: the owning input serializes edges and timer ticks.</remarks>
public sealed class EdgeFilter
{
    private readonly long _holdActiveTicks;
    private readonly long _holdInactiveTicks;
    private bool _raw;
    private bool _hasCandidate;
    private long _candidateSince;

    public EdgeFilter(bool initialLevel, TimeSpan holdActive, TimeSpan holdInactive)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(holdActive, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(holdInactive, TimeSpan.Zero);
        _holdActiveTicks = holdActive.Ticks;
        _holdInactiveTicks = holdInactive.Ticks;
        Stable = initialLevel;
        _raw = initialLevel;
    }

    /// <summary>The debounced logical level.</summary>
    public bool Stable { get; private set; }

    /// <summary>True while a raw change waits for its hold time.</summary>
    public bool HasCandidate => _hasCandidate;

    /// <summary>When the waiting raw change will be believed if no edge comes first (ticks).</summary>
    public long DueTicks => _candidateSince + Hold(!Stable);

    /// <summary>
    /// Feeds a raw edge to <paramref name="level"/> at <paramref name="timestampTicks"/>. Writes the transitions it
    /// confirms (at most two: the one the edge proves held, and this one when its hold time is zero) and returns their count.
    /// </summary>
    public int OnEdge(bool level, long timestampTicks, Span<LevelTransition> confirmed)
    {
        var count = Settle(timestampTicks, confirmed);
        if (level == _raw)
        {
            // A repeated level (a missed opposite edge in the driver) changes nothing we know.
            return count;
        }

        _raw = level;
        if (level != Stable)
        {
            _hasCandidate = true;
            _candidateSince = timestampTicks;
        }
        else
        {
            _hasCandidate = false;
        }

        return count + Settle(timestampTicks, confirmed[count..]);
    }

    /// <summary>Confirms the waiting change if it has held until <paramref name="nowTicks"/>; returns 0 or 1.</summary>
    public int Settle(long nowTicks, Span<LevelTransition> confirmed)
    {
        if (!_hasCandidate || nowTicks - _candidateSince < Hold(_raw))
        {
            return 0;
        }

        _hasCandidate = false;
        Stable = _raw;
        confirmed[0] = new LevelTransition(_raw, _candidateSince);
        return 1;
    }

    private long Hold(bool level) => level ? _holdActiveTicks : _holdInactiveTicks;
}
