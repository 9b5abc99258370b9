using System.Device.Gpio;
using EdgeOps.Core.Engine;
using EdgeOps.Core.Model;
using EdgeOps.Core.Signals;
using EdgeOps.Gateway.Engine;
using EdgeOps.Sources.Gpio;
using EdgeOps.Sources.Sensors;

namespace EdgeOps.Gateway.Configuration.Bindings;

/// <summary>
/// Makes the GPIO and sensor sources and the stack-light sink a line file configures. The host calls
/// <see cref="AddSources"/> when it makes its source set and <see cref="AddEdgeOpsGpioOutputs"/> once.
/// </summary>
internal static class GpioHostWiring
{
    /// <summary>Adds the line's GPIO and sensor sources to the host's source set, on the set's clock (the engine's).</summary>
    public static void AddSources(Hosting.SourceSet sources, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(sources);
        foreach (var source in CreateSources(services.GetRequiredService<SignalCatalog>(), sources.Clock, services.GetRequiredService<ILoggerFactory>()))
        {
            sources.Add(source);
        }
    }

    /// <summary>The GPIO source (when a signal is bound to a pin) and the sensor source (when sensors are configured).</summary>
    public static IEnumerable<ISignalSource> CreateSources(
        SignalCatalog catalog,
        TimeProvider clock,
        ILoggerFactory loggers,
        Func<GpioDefinition, BoardDefinition, GpioController>? openController = null,
        ISensorBuses? buses = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var line = catalog.Line;
        var inputs = GpioSource.FromCatalog(catalog);
        if (inputs.Count > 0 && line.Sources.Gpio is { ResolvedBoard: { } board } gpio)
        {
            var open = openController ?? ((g, b) => GpioHardware.Open(g, b, loggers.CreateLogger("EdgeOps.Gpio")));
            yield return new GpioSource(
                inputs,
                () => open(gpio, board),
                GpioHardware.Describe(GpioHardware.ChipFor(gpio, board)),
                clock,
                loggers.CreateLogger<GpioSource>(),
                HeartbeatFor(line));
        }

        if (line.Sources.Sensors.Count > 0)
        {
            yield return new SensorSource(catalog, buses ?? new LinuxSensorBuses(), clock, loggers.CreateLogger<SensorSource>());
        }
    }

    /// <summary>A third of the shortest stale time, so a still machine refreshes well before it would look Offline.</summary>
    public static TimeSpan HeartbeatFor(LineDefinition line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var shortest = line.Machines.Select(m => m.StaleAfter).DefaultIfEmpty(TimeSpan.FromSeconds(30)).Min();
        var beat = shortest / 3;
        return beat < TimeSpan.FromMilliseconds(100) ? TimeSpan.FromMilliseconds(100) : beat;
    }

    /// <summary>Registers the stack lights (lamp test at start, state from the engine, safe off at stop), if any.</summary>
    public static IServiceCollection AddEdgeOpsGpioOutputs(this IServiceCollection services, LineDefinition line)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (line.Sources.Outputs is null || !line.Sources.Outputs.StackLights.Any(l => l.Device is null) || line.Sources.Gpio is not { ResolvedBoard: not null })
        {
            return services;
        }

        services.AddSingleton(sp => new GpioStackLightService(line, TimeProvider.System, sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton<IEngineSink>(sp => sp.GetRequiredService<GpioStackLightService>());
        services.AddHostedService(sp => sp.GetRequiredService<GpioStackLightService>());
        return services;
    }
}
