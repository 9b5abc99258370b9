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
    public static void AddEdgeOpsInflux(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var section = builder.Configuration.GetSection(EdgeInfluxOptions.Section);
        var enabled = (section.Get<EdgeInfluxOptions>() ?? new EdgeInfluxOptions()).Enabled;
        if (!enabled || !builder.Configuration.GetValue("EdgeOps:Mqtt:Enabled", true))
        {
            return;
        }

        var services = builder.Services;
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
    }
}
