using EdgeOps.Core.Model;
using EdgeOps.Core.Signals;
using EdgeOps.Gateway.Configuration.Parsing;

namespace EdgeOps.Gateway.Configuration.Validation;

/// <summary>
/// Machines and signals: unique ids and names (they are topic levels), one signal per count role, an ideal cycle
/// time wherever parts are counted (performance and capacity divide by it), and an output machine that exists.
/// </summary>
internal sealed class MachineRulesValidator : ILineValidator
{
    public void Validate(LineDefinition line, ConfigContext context)
    {
        var machineIds = new Dictionary<string, MachineDefinition>(StringComparer.Ordinal);
        foreach (var machine in line.Machines)
        {
            var path = context.PathOf(machine);
            if (machine.Id.Length > 0 && !machineIds.TryAdd(machine.Id, machine))
            {
                context.Error(ConfigContext.Child(path, "id"), $"duplicate machine id '{machine.Id}' (first at {context.PathOf(machineIds[machine.Id])})");
            }

            ValidateSignals(machine, path, context);
        }

        if (line.OutputMachine is { } output && !machineIds.ContainsKey(output))
        {
            context.Error("outputMachine", MappingReader.UnknownName("machine", output, machineIds.Keys));
        }
    }

    private static void ValidateSignals(MachineDefinition machine, string path, ConfigContext context)
    {
        var names = new Dictionary<string, SignalDefinition>(StringComparer.Ordinal);
        var countRoles = new Dictionary<SignalRole, SignalDefinition>();
        foreach (var signal in machine.Signals)
        {
            var signalPath = context.PathOf(signal);
            if (!names.TryAdd(signal.Name, signal))
            {
                context.Error(ConfigContext.Child(signalPath, "name"), $"duplicate signal name '{signal.Name}' on machine '{machine.Id}' (first at {context.PathOf(names[signal.Name])})");
            }

            if (ConfigNames.IsCount(signal.Role) && !countRoles.TryAdd(signal.Role, signal))
            {
                context.Error(ConfigContext.Child(signalPath, "role"), $"machine '{machine.Id}' already counts '{ConfigNames.NameOf(signal.Role)}' with signal '{countRoles[signal.Role].Name}'; one signal per count role");
            }
        }

        if (countRoles.Count > 0 && machine.IdealCycleTime <= TimeSpan.Zero && !context.HasErrorAt(ConfigContext.Child(path, "idealCycleTime")))
        {
            var counter = countRoles.Values.First();
            context.Error(ConfigContext.Child(path, "idealCycleTime"), $"missing: machine '{machine.Id}' counts parts (signal '{counter.Name}'), so performance and capacity need its ideal cycle time (e.g. idealCycleTime: 2.4s)");
        }

    }
}
