using EdgeOps.Core.Engine;
using EdgeOps.Core.Model;
using EdgeOps.Publishing.Mqtt;
using EdgeOps.Publishing.Mqtt.Commands;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeOps.Publishing.Sparkplug;

/// <summary>Wiring for the gateway host.</summary>
public static class SparkplugServiceCollectionExtensions
{
    /// <summary>
    /// Registers the <see cref="SparkplugSession"/> (itself and hosted) and its <see cref="SparkplugEngineSink"/> as an
    /// <see cref="IEngineSink"/>. DCMDs go to the <see cref="CommandRouter"/> <c>AddMqttPublishing</c> registered.
    /// </summary>
    public static IServiceCollection AddSparkplug(this IServiceCollection services, SparkplugSettings settings, MqttOptions mqtt,
        LineDefinition line)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new SparkplugSession(settings, mqtt, line, sp.GetRequiredService<CommandRouter>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<SparkplugSession>());
        services.AddSingleton<IEngineSink>(sp => new SparkplugEngineSink(sp.GetRequiredService<SparkplugSession>(), sp.GetRequiredService<TimeProvider>()));
        return services;
    }
}
