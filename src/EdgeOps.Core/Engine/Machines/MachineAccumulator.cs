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

    /// <summary>
    /// Σ ideal time per unit × units, per counted role (ticks): performance with products of different ideal times
    /// (ISO 22400: Σ ideal_i × count_i / run time). The unwired one of total/good/reject is derived like the counts.
    /// </summary>
    public long IdealTotal;
    public long IdealGood;
    public long IdealReject;
    /// <summary>Σ planned production time / ideal time per unit at the time: theoretical output across product changes.</summary>
    public double TheoreticalUnits;
    /// <summary>Σ planned production time × target per hour at the time; null-equivalent while no target was ever in force.</summary>
    public double TargetUnits;
    public bool HasTarget;
    /// <summary>Measured counts per product (index × 4: total, good, reject, rework); null until a product counted.</summary>
    public long[]? ProductCounts;

    public int Revision;
    /// <summary>Closed period changed since its last (re)publication.</summary>
    public bool Dirty;
    public double Throughput1Min;
    public double Throughput15Min;
    /// <summary>True when the machine was Offline at the close.</summary>
    public bool StaleAtClose;
}
