using EdgeOps.Core.Shifts;

namespace EdgeOps.Core.Engine.Machines;

/// <summary>A shift occurrence, or the gap between shifts (<see cref="Shift"/> null), with every machine's accumulators.</summary>
internal sealed class Period
{
    public Period(ShiftOccurrence? shift, long startTicks, long endTicks, MachineAccumulator[] accumulators)
    {
        Shift = shift;
        StartTicks = startTicks;
        EndTicks = endTicks;
        Accumulators = accumulators;
        var breaks = shift?.Breaks ?? [];
        BreakStarts = [.. breaks.Select(b => b.Start.UtcTicks)];
        BreakEnds = [.. breaks.Select(b => b.End.UtcTicks)];
    }

    public ShiftOccurrence? Shift { get; }
    public long StartTicks { get; }
    /// <summary>Exclusive end; <see cref="long.MaxValue"/> for a gap with no next shift.</summary>
    public long EndTicks { get; }
    public MachineAccumulator[] Accumulators { get; }
    public long[] BreakStarts { get; }
    public long[] BreakEnds { get; }
    public bool Closed { get; set; }

    public bool IsShift => Shift is not null;

    public bool Contains(long ticks) => ticks >= StartTicks && ticks < EndTicks;

    public bool InBreak(long ticks)
    {
        for (var i = 0; i < BreakStarts.Length; i++)
        {
            if (ticks >= BreakStarts[i] && ticks < BreakEnds[i])
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Break time inside [from, to).</summary>
    public long BreakTicksBetween(long from, long to)
    {
        long sum = 0;
        for (var i = 0; i < BreakStarts.Length; i++)
        {
            var a = Math.Max(from, BreakStarts[i]);
            var b = Math.Min(to, BreakEnds[i]);
            if (b > a)
            {
                sum += b - a;
            }
        }

        return sum;
    }

    /// <summary>The first break start or end strictly after <paramref name="ticks"/>, or long.MaxValue.</summary>
    public long NextBreakBoundary(long ticks)
    {
        var next = long.MaxValue;
        for (var i = 0; i < BreakStarts.Length; i++)
        {
            if (BreakStarts[i] > ticks && BreakStarts[i] < next)
            {
                next = BreakStarts[i];
            }

            if (BreakEnds[i] > ticks && BreakEnds[i] < next)
            {
                next = BreakEnds[i];
            }
        }

        return next;
    }
}
