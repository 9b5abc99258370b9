using EdgeOps.Core.Signals;
using EdgeOps.Sources;

namespace EdgeOps.Gateway.Engine;

/// <summary>
/// Every source the line runs: the simulator (when a signal is simulated) and what each registered
/// <see cref="ISignalSourceFactory"/> makes for the line, all on the engine's clock. Made once, when first resolved.
/// </summary>
public sealed class LineSources
{
    public LineSources(EngineRuntime runtime, IEnumerable<ISignalSourceFactory> factories)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        ArgumentNullException.ThrowIfNull(factories);
        var all = new List<ISignalSource>();
        if (runtime.Simulation.Simulator is { } simulator)
        {
            all.Add(simulator);
        }

        foreach (var factory in factories)
        {
            all.AddRange(factory.Create(runtime.Catalog, runtime.Clock));
        }

        All = all;
    }

    public IReadOnlyList<ISignalSource> All { get; }
}
