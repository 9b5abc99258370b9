using EdgeOps.Core.Signals;
using EdgeOps.Gateway.Configuration;
using EdgeOps.Sources.Simulation;
using EdgeOps.TestSupport;

namespace EdgeOps.Gateway.Tests.Configuration;

/// <summary>The shipped demo line, loaded by the real loader and played by the simulator: a believable shift.</summary>
public sealed class DemoLineSimulationTests
{
    // Monday 2 March 2026 06:00 in Berlin (UTC+1): the early shift, 8 h with 45 min of breaks.
    private static readonly DateTimeOffset EarlyShift = new(2026, 3, 2, 5, 0, 0, TimeSpan.Zero);

    [Fact]
    public void DemoLine_EarlyShift_ProducesAPlausibleOutputWithStopsOfEveryKind()
    {
        var demo = LineConfigLoader.Load(Path.Combine(RepoPaths.File("firmware-config", "lines"), "demo-line.yaml")).Line!;
        // Speed 60 samples the analog signals every 3 s of simulated time, which keeps this test quick.
        var line = demo with { Sources = demo.Sources with { Simulator = demo.Sources.Simulator! with { Speed = 60 } } };
        var simulator = new LineSimulator(new SignalCatalog(line), TimeProvider.System, EarlyShift);

        var signals = simulator.Generate(EarlyShift, EarlyShift.AddHours(8)).ToList();

        int Count(string machine, string signal)
        {
            var handle = simulator.Catalog.Resolve(machine, signal);
            return signals.Count(s => s.Handle == handle && s.Value != 0);
        }

        // The welder (2.4 s) is the bottleneck: at most 7.25 h / 2.4 s = 10 875 parts.
        var packed = Count("packer", "packed");
        Assert.InRange(packed, 7000, 10_875);
        Assert.InRange((double)Count("press", "scrap") / Count("press", "strokes"), 0.005, 0.04);
        Assert.True(Count("press", "fault") + Count("welder", "fault") + Count("packer", "fault") >= 3, "no faults in a shift");
        Assert.True(Count("welder", "starved") > 0, "welder never starved");
        Assert.True(Count("press", "blocked") > 0, "press never blocked");
        var vibration = simulator.Catalog.Resolve("press", "vibration");
        Assert.Equal(8 * 3600 / 3, signals.Count(s => s.Handle == vibration));
    }
}
