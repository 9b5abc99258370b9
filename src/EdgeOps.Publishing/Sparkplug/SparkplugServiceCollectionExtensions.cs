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
    /// <see cref="IEngineSink"/> and its <see cref="SparkplugConditionSink"/> as an <see cref="IConditionSink"/> (condition
    /// monitoring feeds every one registered). DCMDs go to the <see cref="CommandRouter"/> <c>AddMqttPublishing</c> registered.
    /// </summary>
    public static IServiceCollection AddSparkplug(this IServiceCollection services, SparkplugSettings settings, MqttOptions mqtt,
        LineDefinition line)
    {
        services.TryAddSingleton(TimeProvider.System);
        // The router is registered with the session at start, not passed in: its handlers (maintenance reset) depend on
        // condition monitoring, which depends on this session's condition sink.
        services.AddSingleton(sp => new SparkplugSession(settings, mqtt, line, commands: null, sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton<IHostedService>(sp => new SparkplugCommandRegistration(sp.GetRequiredService<SparkplugSession>(),
            sp.GetRequiredService<CommandRouter>()));
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<SparkplugSession>());
        services.AddSingleton<IEngineSink>(sp => new SparkplugEngineSink(sp.GetRequiredService<SparkplugSession>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IConditionSink>(sp => new SparkplugConditionSink(sp.GetRequiredService<SparkplugSession>(), sp.GetRequiredService<TimeProvider>()));
        return services;
    }
}
