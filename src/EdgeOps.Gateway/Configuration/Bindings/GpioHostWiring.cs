using EdgeOps.Core.Engine;
using EdgeOps.Core.Model;

namespace EdgeOps.Gateway.Configuration.Bindings;

/// <summary>
/// Registers the stack-light sink a line file configures (the GPIO and sensor sources come from
/// <see cref="EdgeOps.Sources.Gpio.GpioSourceFactory"/>).
/// </summary>
internal static class GpioHostWiring
{
    /// <summary>Registers the stack lights (lamp test at start, state from the engine, safe off at stop), if any.</summary>
    public static IServiceCollection AddGpioOutputs(this IServiceCollection services, LineDefinition line)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (line.Sources.Outputs is null || !line.Sources.Outputs.StackLights.Any(l => l.Device is null) || line.Sources.Gpio is not { ResolvedBoard: not null })
        {
            return services;
        }

        services.AddSingleton(sp => new GpioStackLightService(line, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton<IEngineSink>(sp => sp.GetRequiredService<GpioStackLightService>());
        services.AddHostedService(sp => sp.GetRequiredService<GpioStackLightService>());
        return services;
    }
}
