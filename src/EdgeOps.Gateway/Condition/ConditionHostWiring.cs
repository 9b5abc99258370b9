using EdgeOps.Core.Engine;
using EdgeOps.Core.Model;
using EdgeOps.Gateway.Engine;
using EdgeOps.Gateway.Web;
using EdgeOps.Publishing.Mqtt;
using EdgeOps.Publishing.Mqtt.Commands;
using EdgeOps.Publishing.Mqtt.Condition;

namespace EdgeOps.Gateway.Condition;

/// <summary>Settings of condition monitoring in the host (<c>EdgeOps:Condition:*</c>).</summary>
public sealed class ConditionOptions
{
    /// <summary>How often the retained <c>maintenance</c> topic is refreshed when nothing happened (due, overdue, reset publish at once).</summary>
    public TimeSpan MaintenancePublishInterval { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>Registers condition monitoring and maintenance with the engine loop, MQTT and the web API.</summary>
internal static class ConditionHostWiring
{
    /// <summary>
    /// Condition monitoring of <paramref name="line"/>, its options from <paramref name="configuration"/>; with
    /// <paramref name="json"/>, its JSON contract bridge; with <paramref name="commands"/> (MQTT on, whichever encoding),
    /// the maintenance-reset command, which the JSON command topics and Sparkplug DCMDs share. Every other
    /// <see cref="IConditionSink"/> registered (the Sparkplug edge node's) is fed too.
    /// </summary>
    public static IServiceCollection AddConditionMonitoring(this IServiceCollection services, IConfiguration configuration, LineDefinition line,
        bool json, bool commands)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptionsWithValidateOnStart<ConditionOptions, ConditionOptionsValidator>()
            .Bind(configuration.GetSection(ConditionOptionsValidator.Section));
        services.AddSingleton<ConditionView>();
        services.AddSingleton(sp =>
        {
            var runtime = sp.GetRequiredService<EngineRuntime>();
            List<IConditionSink> sinks = [.. sp.GetServices<IConditionSink>()];
            if (json)
            {
                sinks.Insert(0, new MqttConditionBridge(sp.GetRequiredService<MqttPublisher>(), line.Site, line.Area, line.Line, sp.GetRequiredService<TimeProvider>(),
                    sp.GetRequiredService<ILogger<MqttConditionBridge>>()));
            }

            var options = sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<ConditionOptions>>().Value;
            return new ConditionService(runtime.Catalog, runtime.Store, sp.GetRequiredService<ConditionView>(), sinks,
                options.MaintenancePublishInterval, sp.GetRequiredService<ILogger<ConditionService>>());
        });
        services.AddSingleton<IAnalogObserver>(sp => sp.GetRequiredService<ConditionService>());
        services.AddSingleton<IEngineSink>(sp => sp.GetRequiredService<ConditionService>());
        services.AddSingleton<ICheckpointParticipant>(sp => sp.GetRequiredService<ConditionService>());
        if (commands)
        {
            services.AddSingleton<ICommandHandler>(sp =>
                new MaintenanceCommandHandler(sp.GetRequiredService<ConditionService>(), sp.GetRequiredService<EngineCommands>()));
        }

        return services;
    }

    /// <summary><c>GET /api/condition</c> (every machine) and <c>GET /api/condition/{machine}</c>.</summary>
    public static IEndpointRouteBuilder MapEdgeOpsCondition(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/condition", (ConditionView view) => ApiJson.Result(view.All()));
        app.MapGet("/api/condition/{machine}", (string machine, ConditionView view, EngineRuntime runtime) =>
            runtime.Line.Machines.Any(m => m.Id == machine) ? ApiJson.Result(view.Machine(machine)) : Results.NotFound());
        return app;
    }
}
