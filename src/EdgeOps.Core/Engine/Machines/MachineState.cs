using EdgeOps.Core.Model;
using EdgeOps.Core.Signals;

namespace EdgeOps.Core.Engine.Machines;

/// <summary>One machine's live state inside the engine: inputs, freshness, state, open stop, lifetime counts.</summary>
internal sealed class MachineState
{
    public MachineState(int index, MachineDefinition definition, LineDefinition line)
    {
        Index = index;
        Definition = definition;
        Id = definition.Id;
        Reasons = new ReasonTable(MachineStateModel.PresetReasons(definition), line.Reasons, definition.Reasons);
        DefaultIdealTicks = Math.Max(1, definition.IdealCycleTime.Ticks);
        IdealTicks = DefaultIdealTicks;
        TargetPerHour = definition.TargetPerHour;
        MicroThresholdTicks = Math.Max(0, definition.MicroStopThreshold.Ticks);
        StaleTicks = Math.Max(1, definition.StaleAfter.Ticks);
        InferenceTicks = Math.Max(1, (long)(definition.InferenceFactor * IdealTicks));
        foreach (var signal in definition.Signals)
        {
            switch (signal.Role)
            {
                case SignalRole.Total: HasTotal = true; break;
                case SignalRole.Good: HasGood = true; break;
                case SignalRole.Reject: HasReject = true; break;
                case SignalRole.Rework: HasRework = true; break;
                case SignalRole.Running: HasRunningSignal = true; break;
                case SignalRole.StateCode: HasStateCodeSignal = true; break;
                case SignalRole.StatusWord when signal.Bits.Any(b => b.Role == SignalRole.Running): HasRunningSignal = true; break;
                default: break;
            }
        }

        Inferred = !HasRunningSignal && !HasStateCodeSignal;
        foreach (var (code, reason) in MachineStateModel.StateCodes(definition))
        {
            StateCodeReasons[code] = Reasons.TryFind(reason, out var r) ? r : ReasonTable.Unknown;
        }

        foreach (var (mode, reason) in MachineStateModel.UnitModes(definition))
        {
            // Production is no stop (-1); a mode whose reason is missing still leaves planned production time.
            UnitModeReasons[mode] = reason == MachineStateModel.Production ? -1
                : Reasons.TryFind(reason, out var r) ? r : ReasonTable.PlannedStop;
        }

        foreach (var (code, reason) in definition.FaultCodes)
        {
            FaultCodeReasons[code] = Reasons.TryFind(reason, out var r) ? r : ReasonTable.Fault;
        }
    }

    public int Index { get; }
    public MachineDefinition Definition { get; }
    public string Id { get; }
    public ReasonTable Reasons { get; }
    /// <summary>The machine's own ideal cycle time (no product active).</summary>
    public long DefaultIdealTicks { get; }
    /// <summary>Ideal time per unit in force now (the active product's, or the machine's own).</summary>
    public long IdealTicks;
    /// <summary>Target per hour in force now.</summary>
    public double? TargetPerHour;
    public long MicroThresholdTicks { get; }
    public long StaleTicks { get; }
    public long InferenceTicks { get; }
    public bool HasTotal { get; }
    public bool HasGood { get; }
    public bool HasReject { get; }
    public bool HasRework { get; }
    public bool HasRunningSignal { get; }
    public bool HasStateCodeSignal { get; }
    /// <summary>Counting-only retrofit: no running or state-code input, so running is inferred from count cadence.</summary>
    public bool Inferred { get; }
    public Dictionary<long, int> StateCodeReasons { get; } = [];
    public Dictionary<long, int> FaultCodeReasons { get; } = [];
    /// <summary>Unit mode → planned-stop reason, or -1 for production.</summary>
    public Dictionary<long, int> UnitModeReasons { get; } = [];
    /// <summary>(signal handle, code) pairs already reported as unmapped: each is reported once, not once per sample.</summary>
    public HashSet<(int Handle, long Code)> ReportedCodes { get; } = [];

    // Inputs (last known values).
    public bool Running;
    public long FaultCode;
    public int FaultReason = ReasonTable.Fault;
    public bool HasStateCode;
    public long StateCode;
    /// <summary>Reason of the current state code; -1 when the code is not mapped (ignored).</summary>
    public int StateCodeReason = -1;
    public bool Starved;
    public bool Blocked;
    public bool PlannedInput;
    public bool Changeover;
    public bool PlannedCommand;
    /// <summary>A status word's fault bit (apart from <see cref="FaultCode"/>, which a fault-code signal sets).</summary>
    public bool WordFault;
    public bool HasUnitMode;
    public long UnitMode;
    /// <summary>Planned-stop reason of the current unit mode; -1 in production (or an unmapped mode).</summary>
    public int UnitModeReason = -1;
    /// <summary>The PLC's stop reason (0: none) and the reason it maps to through faultCodes (-1: none).</summary>
    public long StopReasonCode;
    public int StopReasonIndex = -1;
    /// <summary>True once the machine ran after the stop reason was set: a latched reason must not name the next stop.</summary>
    public bool StopReasonConsumed;
    public long LastCountTicks = long.MinValue;
    public bool InferredRunning;

    // Freshness.
    public long LastFreshTicks = long.MinValue;
    public bool TimedOut = true;
    public int BadInputs;

    // State.
    public StateCategory State = StateCategory.Offline;
    public int Reason = ReasonTable.Offline;
    public long StateSinceTicks;
    public long AccountedUntil;
    public StopRecord? Stop;
    public List<StopRecord> RecentStops { get; } = [];

    // Lifetime measured counts.
    public long LifeTotal;
    public long LifeGood;
    public long LifeReject;
    public long LifeRework;

    // Products and orders.
    /// <summary>Index of the active product in the line's products; -1 for none.</summary>
    public int Product = -1;
    /// <summary>Product changes inside the retained horizon, oldest first: late counts take the ideal time of their instant.</summary>
    public List<ProductSpan> ProductHistory { get; } = [];
    /// <summary>The machine's running or paused order (a line order is on every machine).</summary>
    public OrderState? Order;
    /// <summary>Completed orders kept for late counts, oldest first.</summary>
    public List<OrderState> RecentOrders { get; } = [];
    /// <summary>When the machine's last order completed (changeover before the next); long.MinValue: none yet.</summary>
    public long LastOrderEndTicks = long.MinValue;

    public long Version;
    public ThroughputWindow Window { get; } = new();
    /// <summary>Since when the rolling windows have data (engine start or restore).</summary>
    public long WindowOriginTicks;

    public bool Offline => TimedOut || BadInputs > 0;

    /// <summary>
    /// The state code decides running and its current value maps to nothing: the machine is Down/unknown because the
    /// PLC said so, not because a reason went missing, so it is a stop of its own rather than the previous one going on.
    /// </summary>
    public bool StateCodeUnknown => HasStateCodeSignal && !HasRunningSignal && HasStateCode && StateCodeReason < 0;

    public string ReasonCodeOf(int reason) => Reasons[reason].Code;
}
