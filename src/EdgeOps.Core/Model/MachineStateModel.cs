using EdgeOps.Core.Signals;

namespace EdgeOps.Core.Model;

/// <summary>
/// The reasons and code tables a machine's state inputs resolve against: the built-in reasons, the presets its
/// configuration switches on (PackML, unit modes) and its own entries. One owner, so the engine and the config
/// validator agree on which codes exist.
/// </summary>
public static class MachineStateModel
{
    /// <summary>The unit-mode value meaning normal production (no planned stop).</summary>
    public const string Production = "production";
    /// <summary>Reason of PackML unit mode 2.</summary>
    public const string MaintenanceMode = "maintenance-mode";
    /// <summary>Reason of PackML unit mode 3.</summary>
    public const string ManualMode = "manual-mode";

    /// <summary>Reasons every machine has, in the engine's index order (unknown first).</summary>
    public static IReadOnlyList<ReasonCode> BuiltInReasons { get; } =
    [
        ReasonCode.Unknown,
        new() { Code = "running", Label = "Running", Category = StateCategory.Running },
        new() { Code = "fault", Label = "Fault", Category = StateCategory.Down },
        new() { Code = "starved", Label = "Starved (no material from upstream)", Category = StateCategory.Idle },
        new() { Code = "blocked", Label = "Blocked (downstream cannot take parts)", Category = StateCategory.Idle },
        new() { Code = "changeover", Label = "Changeover", Category = StateCategory.Changeover },
        new() { Code = "planned-stop", Label = "Planned stop", Category = StateCategory.PlannedStop },
        new() { Code = "break", Label = "Break", Category = StateCategory.PlannedStop },
        new() { Code = "offline", Label = "Offline (no fresh data)", Category = StateCategory.Offline },
    ];

    /// <summary>
    /// Planned-stop reasons of the unit modes, present on a machine with a <c>unitMode</c> signal: Maintenance and
    /// Manual leave planned production time (ISO 22400), each under its own reason.
    /// </summary>
    public static IReadOnlyList<ReasonCode> UnitModeReasons { get; } =
    [
        new() { Code = MaintenanceMode, Label = "Maintenance mode", Category = StateCategory.PlannedStop },
        new() { Code = ManualMode, Label = "Manual mode", Category = StateCategory.PlannedStop },
    ];

    /// <summary>PackML UnitMode defaults: 1 Production, 2 Maintenance, 3 Manual.</summary>
    public static IReadOnlyDictionary<long, string> DefaultUnitModes { get; } = new Dictionary<long, string>
    {
        [1] = Production,
        [2] = MaintenanceMode,
        [3] = ManualMode,
    };

    /// <summary>Reasons the machine's presets add after the built-ins (a line or machine reason with the same code relabels one).</summary>
    public static IReadOnlyList<ReasonCode> PresetReasons(MachineDefinition machine)
    {
        ArgumentNullException.ThrowIfNull(machine);
        var presets = new List<ReasonCode>();
        if (machine.StateModel == StateModel.PackMl)
        {
            presets.AddRange(PackMl.Reasons);
        }

        if (machine.Signals.Any(s => s.Role == SignalRole.UnitMode))
        {
            presets.AddRange(UnitModeReasons);
        }

        return presets;
    }

    /// <summary>Every reason code the machine knows: built-ins, presets, the line's and its own.</summary>
    public static IReadOnlySet<string> ReasonCodes(LineDefinition line, MachineDefinition machine)
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(machine);
        return BuiltInReasons.Concat(PresetReasons(machine)).Concat(line.Reasons).Concat(machine.Reasons)
            .Select(r => r.Code).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The machine's state-code table: the preset's (PackML), then its own <c>stateCodes</c> over it.</summary>
    public static IReadOnlyDictionary<long, string> StateCodes(MachineDefinition machine)
    {
        ArgumentNullException.ThrowIfNull(machine);
        var codes = new Dictionary<long, string>();
        if (machine.StateModel == StateModel.PackMl)
        {
            foreach (var state in PackMl.States)
            {
                codes[state.Number] = state.ReasonCode;
            }
        }

        foreach (var (code, reason) in machine.StateCodes)
        {
            codes[code] = reason;
        }

        return codes;
    }

    /// <summary>The machine's unit-mode table: the PackML defaults, then its own <c>unitModes</c> over them.</summary>
    public static IReadOnlyDictionary<long, string> UnitModes(MachineDefinition machine)
    {
        ArgumentNullException.ThrowIfNull(machine);
        var modes = new Dictionary<long, string>(DefaultUnitModes);
        foreach (var (mode, reason) in machine.UnitModes)
        {
            modes[mode] = reason;
        }

        return modes;
    }
}
