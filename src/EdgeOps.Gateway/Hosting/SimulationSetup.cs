using EdgeOps.Core.Model;
using EdgeOps.Core.Signals;
using EdgeOps.Sources.Simulation;

namespace EdgeOps.Gateway.Hosting;

/// <summary>
/// The line's simulator, when any signal is simulated, and the engine's clock: the simulator's simulated time when the
/// line is simulated (so a sped-up shift closes on time), the system clock otherwise. Made once at start-up, before
/// the engine, because the engine starts on this clock; the hardware sources come from the
/// <see cref="EdgeOps.Sources.ISignalSourceFactory"/>s on the same clock (<see cref="Engine.LineSources"/>).
/// </summary>
public sealed class SimulationSetup
{
    private SimulationSetup(TimeProvider clock, LineSimulator? simulator)
    {
        Clock = clock;
        Simulator = simulator;
    }

    public TimeProvider Clock { get; }

    /// <summary>The simulator, or null when every signal has a real source.</summary>
    public LineSimulator? Simulator { get; }

    /// <summary>
    /// Makes the simulator for <paramref name="catalog"/>'s line when it simulates a signal. <paramref name="resumeFrom"/> is the engine checkpoint's
    /// time: a simulated line continues from there rather than jumping back to its configured start.
    /// </summary>
    public static SimulationSetup Create(SignalCatalog catalog, DateTimeOffset? resumeFrom, TimeProvider realTime)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var simulated = catalog.All.Any(s => s.Definition.Source is null or SimulatorBinding);
        if (!simulated)
        {
            return new SimulationSetup(realTime, null);
        }

        var configuredStart = catalog.Line.Sources.Simulator?.Start;
        DateTimeOffset? start = resumeFrom is { } r && (configuredStart is null || r > configuredStart) ? r : configuredStart;
        var simulator = new LineSimulator(catalog, realTime, start);
        return new SimulationSetup(simulator.Clock, simulator);
    }

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
