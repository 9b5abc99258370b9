namespace EdgeOps.Sources.Simulation;

/// <summary>
/// The simulator's clock: a <see cref="TimeProvider"/> that runs <see cref="Speed"/> times faster than a base clock,
/// starting at <see cref="Start"/>. Give the engine this clock when it consumes a simulated line, so a shift that
/// the simulator plays in eight seconds also closes after eight seconds. Timers are scaled the same way.
/// </summary>
public sealed class SimulatedClock : TimeProvider
{
    private readonly TimeProvider _base;
    private readonly DateTimeOffset _baseStart;

    /// <param name="baseClock">The real clock (or a fake one in tests).</param>
    /// <param name="start">The simulated instant at the moment this clock is created.</param>
    /// <param name="speed">Simulated seconds per base second (3600 plays an 8 h shift in 8 s).</param>
    public SimulatedClock(TimeProvider baseClock, DateTimeOffset start, double speed)
    {
        ArgumentNullException.ThrowIfNull(baseClock);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(speed);
        _base = baseClock;
        _baseStart = baseClock.GetUtcNow();
        TimestampFrequency = Math.Max(1, (long)Math.Round(baseClock.TimestampFrequency / speed));
        Start = start.ToUniversalTime();
        Speed = speed;
    }

    public DateTimeOffset Start { get; }

    public double Speed { get; }

    public override TimeZoneInfo LocalTimeZone => _base.LocalTimeZone;

    /// <summary>
    /// The base clock's ticks, counted at a frequency divided by the speed: elapsed-time measurements come out in
    /// simulated time, and timestamps never overflow however long a fast simulation runs (multiplying the ticks
    /// would pass long.MaxValue after about a month at speed 3600). Rounding the frequency costs under 0.01 %.
    /// </summary>
    public override long TimestampFrequency { get; }

    public override DateTimeOffset GetUtcNow() => Start + ToSimulated(_base.GetUtcNow() - _baseStart);

    public override long GetTimestamp() => _base.GetTimestamp();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        new ScaledTimer(_base.CreateTimer(callback, state, ToBase(dueTime), ToBase(period)), this);

    /// <summary>How long the base clock takes for a simulated span.</summary>
    public TimeSpan ToBase(TimeSpan simulated) =>
        simulated == Timeout.InfiniteTimeSpan ? simulated : TimeSpan.FromTicks((long)(simulated.Ticks / Speed));

    private TimeSpan ToSimulated(TimeSpan real) => TimeSpan.FromTicks((long)(real.Ticks * Speed));

    private sealed class ScaledTimer(ITimer inner, SimulatedClock clock) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => inner.Change(clock.ToBase(dueTime), clock.ToBase(period));

        public void Dispose() => inner.Dispose();

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
