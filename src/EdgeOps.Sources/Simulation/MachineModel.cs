using EdgeOps.Core.Model;
using EdgeOps.Core.Signals;

namespace EdgeOps.Sources.Simulation;

/// <summary>One simulated machine: its state in the line model and the handles of the signals it drives.</summary>
internal sealed class MachineModel
{
    public MachineModel(int index, MachineDefinition definition, SignalCatalog catalog, SimulatorDefinition settings, DateTimeOffset start)
    {
        Index = index;
        Definition = definition;
        Random = new Random(Seeds.Derive(settings.Seed, 1, index));
        // A machine without an ideal cycle time (no counts) still passes parts on; give it a nominal pace.
        CycleTime = definition.IdealCycleTime > TimeSpan.Zero ? definition.IdealCycleTime : TimeSpan.FromSeconds(1);
        FaultCodes = [.. definition.FaultCodes.Keys.Order()];
        var degrading = string.Equals(settings.DegradingMachine, definition.Id, StringComparison.Ordinal);
        var analog = new List<AnalogModel>();
        foreach (var info in catalog.All)
        {
            if (info.MachineIndex != index || info.Definition.Source is not (null or SimulatorBinding))
            {
                continue;
            }

            switch (info.Definition.Role)
            {
                case SignalRole.Total: Total ??= info.Handle; break;
                case SignalRole.Good: Good ??= info.Handle; break;
                case SignalRole.Reject: Reject ??= info.Handle; break;
                case SignalRole.Running: RunningHandle ??= info.Handle; break;
                case SignalRole.Fault: FaultHandle ??= info.Handle; break;
                case SignalRole.Starved: StarvedHandle ??= info.Handle; break;
                case SignalRole.Blocked: BlockedHandle ??= info.Handle; break;
                case SignalRole.PlannedStop: PlannedStopHandle ??= info.Handle; break;
                case SignalRole.Analog:
                    analog.Add(new AnalogModel(info.Handle, KindOf(info.Definition), degrading, settings.Seed, start));
                    break;
                default:
                    // rework, stateCode, statusWord, unitMode, stopReason, changeover: not simulated (docs/configuration.md).
                    break;
            }
        }

        Analog = analog;
    }

    public int Index { get; }

    public MachineDefinition Definition { get; }

    public Random Random { get; }

    public TimeSpan CycleTime { get; }

    public IReadOnlyList<long> FaultCodes { get; }

    public IReadOnlyList<AnalogModel> Analog { get; }

    public int? Total { get; }
    public int? Good { get; }
    public int? Reject { get; }
    public int? RunningHandle { get; }
    public int? FaultHandle { get; }
    public int? StarvedHandle { get; }
    public int? BlockedHandle { get; }
    public int? PlannedStopHandle { get; }

    // Model state.
    public bool Busy { get; set; }
    public bool Holding { get; set; }
    public long FaultCode { get; set; }
    public bool Down => FaultCode != 0;
    /// <summary>Time left of a cycle paused by a break; zero when none.</summary>
    public TimeSpan Remaining { get; set; }
    public DateTimeOffset CycleEndsAt { get; set; }
    /// <summary>Bumped when a scheduled cycle end is cancelled (a break paused it).</summary>
    public int CycleGeneration { get; set; }

    /// <summary>Since when the machine waits (producing time, not down, not cycling); null while it is not.</summary>
    public DateTimeOffset? WaitingSince { get; set; }

    // Last emitted values, so only changes are sent.
    public bool SentRunning { get; set; }
    public bool SentStarved { get; set; }
    public bool SentBlocked { get; set; }
    public bool SentPlannedStop { get; set; }

    /// <summary>The handle the heartbeat re-sends so the engine keeps the machine fresh during long stops.</summary>
    public int? HeartbeatHandle => RunningHandle ?? FaultHandle ?? StarvedHandle ?? BlockedHandle ?? PlannedStopHandle;

    private static AnalogKind KindOf(SignalDefinition signal)
    {
        var text = $"{signal.Kind} {signal.Name}".ToUpperInvariant();
        return text.Contains("VIB", StringComparison.Ordinal) ? AnalogKind.Vibration
            : text.Contains("TEMP", StringComparison.Ordinal) ? AnalogKind.Temperature
            : text.Contains("CURRENT", StringComparison.Ordinal) ? AnalogKind.Current
            : text.Contains("PRESS", StringComparison.Ordinal) ? AnalogKind.Pressure
            : AnalogKind.Other;
    }
}
