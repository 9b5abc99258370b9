using EdgeOps.Core.Signals;

namespace EdgeOps.Core.Engine.Machines;

/// <summary>Per-handle hot-path data: what the signal is, plus a totalizer's baseline and the input's freshness.</summary>
internal struct SignalSlot
{
    public int Machine;
    public SignalRole Role;
    public bool IsCount;
    public bool Totalizer;
    public bool Inverted;
    /// <summary>2^bits for 16/32-bit totalizers; 0 when the counter never wraps in practice (64 bit).</summary>
    public long Modulus;
    /// <summary>Configured maximum step; 0 when derived from the ideal cycle time.</summary>
    public long MaxJump;
    /// <summary>ReasonSelect only: the machine's reason index a press assigns; -1 when the code is not a stop reason.</summary>
    public int ReasonIndex;

    public bool HasBaseline;
    public long LastRaw;
    /// <summary>Timestamp (ticks) of the last value applied; older values of the same input are superseded.</summary>
    public long LastTicks;
    public bool Bad;
}
