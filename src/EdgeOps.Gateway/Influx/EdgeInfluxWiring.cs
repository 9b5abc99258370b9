using EdgeOps.Gateway.Hosting;
using EdgeOps.Publishing.Mqtt.Engine;
using Microsoft.Extensions.Options;

namespace EdgeOps.Gateway.Influx;

/// <summary>Registers the edge-local InfluxDB writer when <c>EdgeOps:Influx:Enabled</c> is true.</summary>
public static class EdgeInfluxWiring
{
    /// <summary>Call after MQTT and before the engine loop, so the writer stops after the loop's final drain.</summary>
    public static void AddEdgeOpsInflux(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (!EdgeInfluxOptions.IsEnabled(builder.Configuration) || !builder.Configuration.GetValue("EdgeOps:Mqtt:Enabled", true))
        {
            return;
        }

        var options = EdgeInfluxOptions.Bind(builder.Configuration);
        var errors = options.Validate(EdgeInfluxOptions.Section);
        if (errors.Count > 0)
        {
            throw new InvalidOperationException(string.Join(Environment.NewLine, errors));
        }

        builder.Services.AddSingleton(sp => new EdgeInfluxWriter(options,
            sp.GetRequiredService<IOptions<GatewayOptions>>().Value.DataDirectory,
            sp.GetRequiredService<MqttEngineBridge>(), sp.GetRequiredService<ILoggerFactory>()));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<EdgeInfluxWriter>());
    }
}
