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
        Reasons = new ReasonTable(line.Reasons, definition.Reasons);
        IdealTicks = Math.Max(1, definition.IdealCycleTime.Ticks);
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
                default: break;
            }
        }

        Inferred = !HasRunningSignal && !HasStateCodeSignal;
        foreach (var (code, reason) in definition.StateCodes)
        {
            StateCodeReasons[code] = Reasons.TryFind(reason, out var r) ? r : ReasonTable.Unknown;
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
    public long IdealTicks { get; }
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

    public long Version;
    public ThroughputWindow Window { get; } = new();
    /// <summary>Since when the rolling windows have data (engine start or restore).</summary>
    public long WindowOriginTicks;

    public bool Offline => TimedOut || BadInputs > 0;

    public string ReasonCodeOf(int reason) => Reasons[reason].Code;
}
