using EdgeOps.Core.Model;

namespace EdgeOps.Gateway.Configuration.Validation;

/// <summary>
/// The simulator's degrading machine exists, and a signal without a source has a simulator to drive it
/// (otherwise it would silently never change).
/// </summary>
internal sealed class SimulatorValidator : ILineValidator
{
    public void Validate(LineDefinition line, ConfigContext context)
    {
        var simulator = line.Sources.Simulator;
        if (simulator?.DegradingMachine is { } degrading && line.Machines.All(m => m.Id != degrading))
        {
            context.Error("sources.simulator.degradingMachine", MappingReader.UnknownName("machine", degrading, line.Machines.Select(m => m.Id).Distinct()));
        }

        if (simulator is not null)
        {
            return;
        }

        foreach (var machine in line.Machines)
        {
            foreach (var signal in machine.Signals)
            {
                if (signal.Source is null or SimulatorBinding)
                {
                    context.Error(
                        context.PathOf(signal),
                        $"signal '{signal.Name}' has no source and the line has no 'sources: simulator:' section; bind it to a source or add the simulator");
                }
            }
        }
    }
}
