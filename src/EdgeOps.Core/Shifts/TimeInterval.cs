namespace EdgeOps.Core.Shifts;

/// <summary>A half-open interval of instants [<see cref="Start"/>, <see cref="End"/>), both in UTC.</summary>
public readonly record struct TimeInterval(DateTimeOffset Start, DateTimeOffset End)
{
    public TimeSpan Duration => End - Start;

    /// <summary>True when <paramref name="instant"/> lies in [Start, End).</summary>
    public bool Contains(DateTimeOffset instant) => instant >= Start && instant < End;
}
