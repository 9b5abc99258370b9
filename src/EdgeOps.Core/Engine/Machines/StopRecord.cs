namespace EdgeOps.Core.Engine.Machines;

/// <summary>
/// A stop: a contiguous Down, Changeover or Idle interval with one reason. An unknown reason is upgraded in place when
/// the machine reports one; a different known reason starts a new stop. Its time is booked into every period it
/// touches (portions), so a reason assigned later can move exactly that time.
/// </summary>
internal sealed class StopRecord(long id, long startTicks, int reason)
{
    public long Id { get; } = id;
    public long StartTicks { get; } = startTicks;
    public long EndTicks { get; set; } = long.MaxValue;
    public int Reason { get; set; } = reason;
    /// <summary>Ticks in the current period not yet booked into a portion.</summary>
    public long OpenTicks { get; set; }
    /// <summary>Ticks of the stop inside the machine's running order not yet booked into it.</summary>
    public long OrderOpenTicks { get; set; }
    /// <summary>True once the stop has lasted past the micro-stop threshold (counted as downtime).</summary>
    public bool PastThreshold { get; set; }
    /// <summary>True once someone assigned the reason; the machine's inputs no longer upgrade it.</summary>
    public bool Assigned { get; set; }
    public List<StopPortion> Portions { get; } = [];

    public bool IsOpen => EndTicks == long.MaxValue;
}

/// <summary>The part of a stop booked into one period.</summary>
internal readonly record struct StopPortion(Period Period, long Ticks, bool Micro);
