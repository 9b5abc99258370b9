using EdgeOps.Core.Model;
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
    /// <summary>StatusWord only: the bits and the inputs they carry.</summary>
    public StatusBitDefinition[]? Bits;
    /// <summary>StatusWord only: the declared width in bits.</summary>
    public int WordWidth;
    /// <summary>An invalid value of this state input was reported; cleared by the next valid one (one event per spell).</summary>
    public bool InvalidReported;

    public bool HasBaseline;
    public long LastRaw;
    /// <summary>Timestamp (ticks) of the last value applied; older values of the same input are superseded.</summary>
    public long LastTicks;
    public bool Bad;
}
