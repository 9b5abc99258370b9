using EdgeOps.Core.Model;
using EdgeOps.Core.Signals;
using EdgeOps.Sources.Modbus;

namespace EdgeOps.Gateway.Configuration.Modbus;

/// <summary>One Modbus source (one connection, one poll timer) per configured device that at least one signal uses.</summary>
internal static class ModbusHostWiring
{
    public static void AddSources(Hosting.SourceSet sources, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(sources);
        foreach (var source in CreateSources(services.GetRequiredService<SignalCatalog>(), sources.Clock, services.GetRequiredService<ILoggerFactory>()))
        {
            sources.Add(source);
        }
    }

    /// <summary>The sources alone, for a host that creates source kinds its own way.</summary>
    public static IEnumerable<ISignalSource> CreateSources(SignalCatalog catalog, TimeProvider clock, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(loggers);
        var used = catalog.All
            .Select(s => s.Definition.Source)
            .OfType<ModbusBinding>()
            .Select(b => b.Device)
            .ToHashSet(StringComparer.Ordinal);
        foreach (var device in catalog.Line.Sources.Modbus?.Devices ?? [])
        {
            if (used.Contains(device.Name))
            {
                yield return new ModbusSignalSource(device, catalog, loggers.CreateLogger<ModbusSignalSource>(), clock);
            }
        }
    }
}
