using EdgeOps.Core.Model;
using EdgeOps.Publishing.Mqtt.Commands;
using EdgeOps.Publishing.Mqtt.Engine;
using EdgeOps.Publishing.Outbox;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeOps.Publishing.Mqtt;

/// <summary>Wiring for the gateway host: one call registers the broker (when embedded), the publisher and the bridge.</summary>
public static class MqttServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="EmbeddedBroker"/> (only when <see cref="MqttOptions.Broker"/> is <c>embedded</c>; it starts
    /// before the publisher and stops after it), <see cref="MqttPublisher"/> as itself and as a hosted service,
    /// <see cref="CommandRouter"/> over every registered <see cref="ICommandHandler"/> (registered with the publisher as its
    /// inbound handler at start, so the handlers may depend on what publishes), and <see cref="MqttEngineBridge"/>.
    /// </summary>
    public static IServiceCollection AddMqttPublishing(this IServiceCollection services, MqttOptions options, LineDefinition line)
    {
        ArgumentNullException.ThrowIfNull(options);
        var endpoint = options.Endpoint; // Fails at start with the key name when the URI is bad.
        if (endpoint.Embedded)
        {
            services.AddSingleton(sp => new EmbeddedBroker(options.EmbeddedPort, options.EmbeddedBroker, options.GatewayId,
                sp.GetRequiredService<ILogger<EmbeddedBroker>>()));
            services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<EmbeddedBroker>());
        }

        services.AddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<PublishingMetrics>();
        services.AddSingleton(sp => new CommandRouter(sp.GetServices<ICommandHandler>(), options.Commands, sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<CommandRouter>>()));
        // On the embedded broker the publisher logs in with the secret the broker made: its client id is reserved for it.
        services.AddSingleton(sp => new MqttPublisher(options, sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>(), sp.GetService<EmbeddedBroker>()?.Policy.GatewayCredentials,
            sp.GetRequiredService<PublishingMetrics>()));
        // Before the publisher: the router is its inbound handler before the first connection subscribes.
        services.AddSingleton<IHostedService, CommandInboundRegistration>();
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<MqttPublisher>());
        services.AddSingleton(sp => new MqttEngineBridge(sp.GetRequiredService<MqttPublisher>(), line, options.MinKpiInterval, sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<MqttEngineBridge>>()));
        return services;
    }
}
