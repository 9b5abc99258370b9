using EdgeOps.Core.Signals;

namespace EdgeOps.Core.Model;

/// <summary>How a count input reports: each event adds n, or a PLC counter's absolute value.</summary>
public enum CountMode
{
    Pulse,
    Totalizer,
}

/// <summary>One configured signal of a machine.</summary>
public sealed record SignalDefinition
{
    /// <summary>Signal name, unique within the machine (used in topics: <c>condition/{signal}</c>).</summary>
    public required string Name { get; init; }
    public required SignalRole Role { get; init; }
    /// <summary>Count roles only.</summary>
    public CountMode CountMode { get; init; } = CountMode.Pulse;
    /// <summary>Totalizer width in bits (16, 32 or 64): where the counter rolls over.</summary>
    public int TotalizerBits { get; init; } = 32;
    /// <summary>
    /// A totalizer step larger than this is implausible: quarantined and reported as an event, never counted.
    /// Null: derived from the ideal cycle time and the time since the last value.
    /// </summary>
    public double? MaxJump { get; init; }
    /// <summary>For booleans: true when the wire level 0 means "active".</summary>
    public bool Inverted { get; init; }
    /// <summary>Analog only: what is measured (vibration, temperature, current, pressure...).</summary>
    public string? Kind { get; init; }
    /// <summary>Analog only: engineering unit (mm/s, m/s², °C, A, bar...).</summary>
    public string? Unit { get; init; }
    /// <summary>Where the value comes from; null means the line's simulator drives it.</summary>
    public SourceBinding? Source { get; init; }
    /// <summary>Analog only: condition monitoring of this signal (features, zones, alarms); null: none.</summary>
    public ConditionDefinition? Condition { get; init; }
    /// <summary>ReasonSelect only: the reason code a press assigns (a Down, Changeover or Idle reason of the machine).</summary>
    public string? Reason { get; init; }
    /// <summary>StatusWord only: which bit is which boolean input (YAML <c>bits: { 0: running, 3: fault }</c>).</summary>
    public IReadOnlyList<StatusBitDefinition> Bits { get; init; } = [];
    /// <summary>
    /// StatusWord only: the word's width in bits (8, 16 or 32; default 16). A value that does not fit is rejected (the
    /// bits keep their last values); a negative value within the width is read as two's complement (an S7 INT).
    /// </summary>
    public int WordWidth { get; init; } = 16;
}

/// <summary>One bit of a status word: the boolean input it carries.</summary>
/// <param name="Bit">Bit number, 0 = least significant.</param>
/// <param name="Role">running, fault, starved, blocked, changeover or plannedStop.</param>
/// <param name="Inverted">True when a cleared bit means "active" (a "no fault" bit).</param>
public sealed record StatusBitDefinition(int Bit, SignalRole Role, bool Inverted = false);
