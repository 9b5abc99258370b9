namespace EdgeOps.Core.Engine.Machines;

/// <summary>One machine's totals over one period; times in ticks.</summary>
internal sealed class MachineAccumulator(int reasonCount)
{
    public long RunTicks;
    public long PlannedTicks;
    public long OfflineTicks;
    public long MicroTicks;
    public int MicroCount;
    public readonly long[] ReasonTicks = new long[reasonCount];
    public readonly int[] ReasonCount = new int[reasonCount];

    // Measured counts per wired role; the missing one of total/good/reject is derived when read.
    public long Total;
    public long Good;
    public long Reject;
    public long Rework;

    public int Revision;
    /// <summary>Closed period changed since its last (re)publication.</summary>
    public bool Dirty;
    public double Throughput1Min;
    public double Throughput15Min;
    /// <summary>True when the machine was Offline at the close.</summary>
    public bool StaleAtClose;
}
