using EdgeOps.Core.Model;
using EdgeOps.Core.Signals;
using EdgeOps.Sources.Simulation;

namespace EdgeOps.Gateway.Hosting;

/// <summary>
/// The sources the line file configures, made once at start-up, and the engine's clock: the simulator's simulated
/// time when the line is simulated (so a sped-up shift closes on time), the system clock otherwise.
/// </summary>
public sealed class SourceSet
{
    private readonly List<ISignalSource> _sources = [];

    private SourceSet(TimeProvider clock, LineSimulator? simulator)
    {
        Clock = clock;
        Simulator = simulator;
        if (simulator is not null)
        {
            _sources.Add(simulator);
        }
    }

    public TimeProvider Clock { get; }

    public LineSimulator? Simulator { get; }

    public IReadOnlyList<ISignalSource> Sources => _sources;

    /// <summary>
    /// Makes the sources for <paramref name="catalog"/>'s line. <paramref name="resumeFrom"/> is the engine checkpoint's
    /// time: a simulated line continues from there rather than jumping back to its configured start.
    /// </summary>
    public static SourceSet Create(SignalCatalog catalog, DateTimeOffset? resumeFrom, TimeProvider realTime)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var simulated = catalog.All.Any(s => s.Definition.Source is null or SimulatorBinding);
        if (!simulated)
        {
            return new SourceSet(realTime, null);
        }

        var configuredStart = catalog.Line.Sources.Simulator?.Start;
        DateTimeOffset? start = resumeFrom is { } r && (configuredStart is null || r > configuredStart) ? r : configuredStart;
        var simulator = new LineSimulator(catalog, realTime, start);
        return new SourceSet(simulator.Clock, simulator);
    }

    /// <summary>Adds a source made after start-up decisions (GPIO, sensors, OPC UA).</summary>
    public void Add(ISignalSource source) => _sources.Add(source);

    /// <summary>Applies the EdgeOps:Simulator overrides (start, speed, seed) to the line's simulator settings.</summary>
    public static LineDefinition ApplyOverrides(LineDefinition line, SimulatorOverrides overrides)
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(overrides);
        if (overrides.Start is null && overrides.Speed is null && overrides.Seed is null)
        {
            return line;
        }

        var simulator = line.Sources.Simulator ?? new SimulatorDefinition();
        simulator = simulator with
        {
            Start = overrides.Start ?? simulator.Start,
            Speed = overrides.Speed ?? simulator.Speed,
            Seed = overrides.Seed ?? simulator.Seed,
        };
        return line with { Sources = line.Sources with { Simulator = simulator } };
    }
}
