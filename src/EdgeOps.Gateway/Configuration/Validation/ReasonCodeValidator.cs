using EdgeOps.Core.Model;

namespace EdgeOps.Gateway.Configuration.Validation;

/// <summary>
/// Reason codes are unique, and every code a machine maps (stateCodes, faultCodes, unitModes) exists: among the
/// built-in reasons (running, fault, starved...), the presets the machine switches on (PackML, unit modes), the line's
/// and the machine's own.
/// </summary>
internal sealed class ReasonCodeValidator : ILineValidator
{
    public void Validate(LineDefinition line, ConfigContext context)
    {
        var lineCodes = CheckUnique(line.Reasons, [], context);
        foreach (var machine in line.Machines)
        {
            CheckUnique(machine.Reasons, lineCodes, context);
            var codes = MachineStateModel.ReasonCodes(line, machine).ToHashSet(StringComparer.Ordinal);
            var path = context.PathOf(machine);
            CheckReferences(machine.StateCodes, ConfigContext.Child(path, "stateCodes"), codes, context);
            CheckReferences(machine.FaultCodes, ConfigContext.Child(path, "faultCodes"), codes, context);
            var reasons = Merged(line, machine);
            CheckStateCodeCategories(machine, ConfigContext.Child(path, "stateCodes"), reasons, context);
            CheckUnitModes(machine, ConfigContext.Child(path, "unitModes"), codes, reasons, context);
            CheckButtons(machine, codes, reasons, context);
        }
    }

    private static HashSet<string> CheckUnique(IReadOnlyList<ReasonCode> reasons, HashSet<string> inherited, ConfigContext context)
    {
        var codes = new HashSet<string>(inherited, StringComparer.Ordinal) { ReasonCode.Unknown.Code };
        var own = new HashSet<string>(StringComparer.Ordinal);
        foreach (var reason in reasons)
        {
            if (!own.Add(reason.Code))
            {
                context.Error(ConfigContext.Child(context.PathOf(reason), "code"), $"duplicate reason code '{reason.Code}'");
            }

            codes.Add(reason.Code);
        }

        return codes;
    }

    // A reason button must name a reason a stop can take: a planned stop is not chosen by pressing a button.
    private static void CheckButtons(MachineDefinition machine, HashSet<string> codes, Dictionary<string, ReasonCode> reasons, ConfigContext context)
    {
        foreach (var signal in machine.Signals)
        {
            if (signal.Role != Core.Signals.SignalRole.ReasonSelect || signal.Reason is not { } code)
            {
                continue;
            }

            var path = ConfigContext.Child(context.PathOf(signal), "reason");
            if (!codes.Contains(code))
            {
                context.Error(path, MappingReader.UnknownName("reason code", code, codes.Order(StringComparer.Ordinal)));
            }
            else if (reasons[code].Category is not (StateCategory.Down or StateCategory.Changeover or StateCategory.Idle))
            {
                context.Error(path, $"reason '{code}' is a {Category(reasons[code].Category)} reason; a reason button assigns a down, changeover or idle reason");
            }
        }
    }

    // A unit mode either produces or is a planned stop: a mode that made the machine Down would be unplanned time the
    // machine did not lose.
    private static void CheckUnitModes(MachineDefinition machine, string path, HashSet<string> codes, Dictionary<string, ReasonCode> reasons, ConfigContext context)
    {
        foreach (var (mode, code) in machine.UnitModes)
        {
            var modePath = ConfigContext.Child(path, mode.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (code == MachineStateModel.Production)
            {
                continue;
            }

            if (!codes.Contains(code))
            {
                context.Error(modePath, MappingReader.UnknownName("unit-mode reason", code, codes.Append(MachineStateModel.Production).Order(StringComparer.Ordinal)));
            }
            else if (reasons[code].Category != StateCategory.PlannedStop)
            {
                context.Error(modePath, $"unit mode {mode} maps to '{code}', a {Category(reasons[code].Category)} reason; a unit mode is '{MachineStateModel.Production}' or a plannedStop reason");
            }
        }
    }

    // Offline means "no fresh data", which only the engine can tell: a PLC code that claimed it would never end.
    private static void CheckStateCodeCategories(MachineDefinition machine, string path, Dictionary<string, ReasonCode> reasons, ConfigContext context)
    {
        foreach (var (number, code) in machine.StateCodes)
        {
            if (reasons.TryGetValue(code, out var reason) && reason.Category == StateCategory.Offline)
            {
                context.Error(ConfigContext.Child(path, number.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                    $"state code {number} maps to '{code}', which only the engine sets (no fresh data); map it to running or a down, changeover, idle or plannedStop reason");
            }
        }
    }

    /// <summary>The machine's reasons by code as the engine numbers them: later definitions relabel earlier ones.</summary>
    private static Dictionary<string, ReasonCode> Merged(LineDefinition line, MachineDefinition machine) =>
        MachineStateModel.BuiltInReasons.Concat(MachineStateModel.PresetReasons(machine)).Concat(line.Reasons).Concat(machine.Reasons)
            .GroupBy(r => r.Code, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);

    private static string Category(StateCategory category) => category switch
    {
        StateCategory.PlannedStop => "plannedStop",
        _ => category.ToString().ToLowerInvariant(),
    };

    private static void CheckReferences(IReadOnlyDictionary<long, string> map, string path, HashSet<string> codes, ConfigContext context)
    {
        foreach (var (number, code) in map)
        {
            if (!codes.Contains(code))
            {
                context.Error(ConfigContext.Child(path, number.ToString(System.Globalization.CultureInfo.InvariantCulture)), MappingReader.UnknownName("reason code", code, codes.Order(StringComparer.Ordinal)));
            }
        }
    }
}
