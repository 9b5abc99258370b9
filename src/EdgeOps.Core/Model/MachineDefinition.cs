namespace EdgeOps.Core.Model;

/// <summary>A machine on the line: its signals, ideal cycle time and the thresholds its KPIs use.</summary>
public sealed record MachineDefinition
{
    /// <summary>Machine id, used in topics and recordings (lowercase letters, digits, '-' and '_').</summary>
    public required string Id { get; init; }
    public string? Name { get; init; }
    /// <summary>The fastest sustainable time per unit; performance and theoretical capacity depend on it.</summary>
    public required TimeSpan IdealCycleTime { get; init; }
    /// <summary>Target output per hour of planned production time, for target vs actual.</summary>
    public double? TargetPerHour { get; init; }
    /// <summary>Stops shorter than this are micro-stops (a performance loss), not downtime. Default 120 s.</summary>
    public TimeSpan MicroStopThreshold { get; init; } = TimeSpan.FromSeconds(120);
    /// <summary>No fresh data for this long puts the machine Offline. Default 30 s.</summary>
    public TimeSpan StaleAfter { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>Counting-only retrofit: running while counts arrive within this many ideal cycle times. Default 3.</summary>
    public double InferenceFactor { get; init; } = 3.0;
    public required IReadOnlyList<SignalDefinition> Signals { get; init; }
    /// <summary>Machine-specific reason codes, in addition to the line's.</summary>
    public IReadOnlyList<ReasonCode> Reasons { get; init; } = [];
    /// <summary>
    /// PLC state code → reason code (whose category is the state; the built-in <c>running</c> means Running), for a
    /// <c>stateCode</c> signal. With <see cref="StateModel"/> PackML these override the preset's entries.
    /// </summary>
    public IReadOnlyDictionary<long, string> StateCodes { get; init; } = new Dictionary<long, string>();
    /// <summary>A preset state-code table (PackML); <see cref="StateModel.Custom"/>: only <see cref="StateCodes"/>.</summary>
    public StateModel StateModel { get; init; } = StateModel.Custom;
    /// <summary>
    /// Unit mode → <c>production</c> or a planned-stop reason code, for a <c>unitMode</c> signal; overrides the PackML
    /// defaults 1 production, 2 maintenance-mode, 3 manual-mode (<see cref="MachineStateModel.DefaultUnitModes"/>).
    /// </summary>
    public IReadOnlyDictionary<long, string> UnitModes { get; init; } = new Dictionary<long, string>();
    /// <summary>Fault code → reason code, for a <c>fault</c> signal that carries a code rather than a boolean.</summary>
    public IReadOnlyDictionary<long, string> FaultCodes { get; init; } = new Dictionary<long, string>();
    /// <summary>Maintenance items with their intervals (run hours, cycles, starts).</summary>
    public IReadOnlyList<MaintenanceDefinition> Maintenance { get; init; } = [];
}
