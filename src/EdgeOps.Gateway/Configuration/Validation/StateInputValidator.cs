using System.Globalization;
using EdgeOps.Core.Model;
using EdgeOps.Core.Signals;
using EdgeOps.Gateway.Configuration.Parsing;

namespace EdgeOps.Gateway.Configuration.Validation;

/// <summary>
/// The state inputs that carry codes and bits: a state code has a table (its own <c>stateCodes</c> or the PackML
/// preset), a table has its signal, a stop reason has <c>faultCodes</c> to name stops with, and each boolean input
/// comes from one place only (a status word's bit or a signal of its own), each bit inside the word's width.
/// </summary>
internal sealed class StateInputValidator : ILineValidator
{
    private static readonly SignalRole[] SingleRoles = [SignalRole.StateCode, SignalRole.UnitMode, SignalRole.StopReason];

    public void Validate(LineDefinition line, ConfigContext context)
    {
        foreach (var machine in line.Machines)
        {
            var path = context.PathOf(machine);
            CheckTables(machine, path, context);
            CheckSingles(machine, context);
            CheckStatusWords(machine, context);
        }
    }

    private static void CheckTables(MachineDefinition machine, string path, ConfigContext context)
    {
        var stateCode = machine.Signals.FirstOrDefault(s => s.Role == SignalRole.StateCode);
        if (stateCode is not null && machine.StateCodes.Count == 0 && machine.StateModel == StateModel.Custom)
        {
            context.Error(ConfigContext.Child(context.PathOf(stateCode), "role"),
                $"signal '{stateCode.Name}' sends PLC state codes, but machine '{machine.Id}' has no 'stateCodes' mapping them to reasons (e.g. stateCodes: {{ 1: running, 3: infeed-empty }}) and no 'stateModel: packml'");
        }

        // A signal that did not parse (a misspelt role) is already reported: "no such signal" would only repeat it.
        var signalsBroken = context.Errors.Any(e => e.KeyPath.StartsWith(ConfigContext.Child(path, "signals"), StringComparison.Ordinal));
        if (stateCode is null && machine.StateModel != StateModel.Custom && !signalsBroken)
        {
            context.Error(ConfigContext.Child(path, "stateModel"), $"machine '{machine.Id}' has no stateCode signal for the PackML state table to read");
        }

        if (stateCode is null && machine.StateCodes.Count > 0 && !signalsBroken)
        {
            context.Error(ConfigContext.Child(path, "stateCodes"), $"machine '{machine.Id}' has no stateCode signal: add one (role: stateCode) or remove 'stateCodes'");
        }

        if (machine.UnitModes.Count > 0 && !machine.Signals.Any(s => s.Role == SignalRole.UnitMode) && !signalsBroken)
        {
            context.Error(ConfigContext.Child(path, "unitModes"), $"machine '{machine.Id}' has no unitMode signal: add one (role: unitMode) or remove 'unitModes'");
        }

        if (machine.Signals.FirstOrDefault(s => s.Role == SignalRole.StopReason) is { } stopReason && machine.FaultCodes.Count == 0)
        {
            context.Error(ConfigContext.Child(context.PathOf(stopReason), "role"),
                $"signal '{stopReason.Name}' names stops through 'faultCodes', but machine '{machine.Id}' has none (e.g. faultCodes: {{ 101: material-jam }})");
        }
    }

    // Two signals for one of these would overwrite each other's value on every change.
    private static void CheckSingles(MachineDefinition machine, ConfigContext context)
    {
        foreach (var role in SingleRoles)
        {
            var signals = machine.Signals.Where(s => s.Role == role).ToList();
            for (var i = 1; i < signals.Count; i++)
            {
                context.Error(ConfigContext.Child(context.PathOf(signals[i]), "role"),
                    $"machine '{machine.Id}' already has a {ConfigNames.NameOf(role)} signal ('{signals[0].Name}'); one per machine");
            }
        }
    }

    private static void CheckStatusWords(MachineDefinition machine, ConfigContext context)
    {
        // Where each boolean input comes from: a signal of its own or a bit. A fault code signal and a fault bit are
        // separate inputs (the code names the fault, the bit says there is one), so fault is left out here.
        var sources = new Dictionary<SignalRole, string>();
        foreach (var signal in machine.Signals)
        {
            if (ConfigNames.BitRoles.Values.Contains(signal.Role) && signal.Role != SignalRole.Fault)
            {
                sources.TryAdd(signal.Role, $"signal '{signal.Name}'");
            }
        }

        foreach (var word in machine.Signals.Where(s => s.Role == SignalRole.StatusWord))
        {
            var bitsPath = ConfigContext.Child(context.PathOf(word), "bits");
            foreach (var bit in word.Bits)
            {
                var bitPath = ConfigContext.Child(bitsPath, bit.Bit.ToString(CultureInfo.InvariantCulture));
                var roleName = ConfigNames.BitRoles.First(r => r.Value == bit.Role).Key;
                if (bit.Bit >= word.WordWidth)
                {
                    context.Error(bitPath, $"bit {bit.Bit} is outside the {word.WordWidth}-bit word (bits 0..{word.WordWidth - 1}); set 'width' if the word is wider");
                }

                var here = $"bit {bit.Bit} of '{word.Name}'";
                if (sources.TryGetValue(bit.Role, out var other))
                {
                    context.Error(bitPath, $"{roleName} already comes from {other} on machine '{machine.Id}'; each input from one place");
                }
                else
                {
                    sources[bit.Role] = here;
                }
            }
        }
    }
}
