using EdgeOps.Core.Model;

namespace EdgeOps.Gateway.Configuration.Validation;

/// <summary>Reason codes are unique, and every code a machine maps (stateCodes, faultCodes) exists.</summary>
internal sealed class ReasonCodeValidator : ILineValidator
{
    public void Validate(LineDefinition line, ConfigContext context)
    {
        var lineCodes = CheckUnique(line.Reasons, [], context);
        foreach (var machine in line.Machines)
        {
            var codes = CheckUnique(machine.Reasons, lineCodes, context);
            var path = context.PathOf(machine);
            CheckReferences(machine.StateCodes, ConfigContext.Child(path, "stateCodes"), codes, context);
            CheckReferences(machine.FaultCodes, ConfigContext.Child(path, "faultCodes"), codes, context);
            CheckButtons(line, machine, codes, context);
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
    private static void CheckButtons(LineDefinition line, MachineDefinition machine, HashSet<string> codes, ConfigContext context)
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
            else if (machine.Reasons.Concat(line.Reasons).FirstOrDefault(r => r.Code == code) is { Category: StateCategory.PlannedStop })
            {
                context.Error(path, $"reason '{code}' is a planned-stop reason; a reason button assigns a down, changeover or idle reason");
            }
        }
    }

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
