using EdgeOps.Gateway.Hosting;
using EdgeOps.Ingest;
using Microsoft.Extensions.Options;

namespace EdgeOps.Gateway.Influx;

/// <summary>Registers the edge-local InfluxDB writer when <c>EdgeOps:Influx:Enabled</c> is true.</summary>
public static class EdgeInfluxWiring
{
    /// <summary>
    /// Call after MQTT and before the engine loop, so the writer stops after the loop's final drain. The settings check
    /// (<see cref="GatewaySettings.Check"/>) has run the same validators before the host is built.
    /// </summary>
    public static IServiceCollection AddEdgeInflux(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(EdgeInfluxOptions.Section);
        var enabled = (section.Get<EdgeInfluxOptions>() ?? new EdgeInfluxOptions()).Enabled;
        if (!enabled || !configuration.GetValue("EdgeOps:Mqtt:Enabled", true))
        {
            return services;
        }

        services.AddOptionsWithValidateOnStart<InfluxOptions>().Bind(section);
        services.AddSingleton<IValidateOptions<InfluxOptions>>(new InfluxOptionsValidator(EdgeInfluxOptions.Section));
        services.AddInfluxIngest(sp =>
        {
            var dataDirectory = sp.GetRequiredService<IOptions<GatewayOptions>>().Value.DataDirectory;
            return new InfluxIngestSetup(sp.GetRequiredService<IOptions<InfluxOptions>>().Value,
                Path.Combine(dataDirectory, EdgeInfluxOptions.BufferFile),
                Path.Combine(dataDirectory, EdgeInfluxOptions.DeadLetterFile), new InfluxIngestLimits());
        });
        services.AddSingleton<EdgeInfluxWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<EdgeInfluxWriter>());
        return services;
    }
}
