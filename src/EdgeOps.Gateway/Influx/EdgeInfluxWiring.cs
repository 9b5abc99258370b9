using EdgeOps.Gateway.Hosting;
using EdgeOps.Ingest;
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

        builder.Services.AddInfluxIngest(sp =>
        {
            var dataDirectory = sp.GetRequiredService<IOptions<GatewayOptions>>().Value.DataDirectory;
            return new InfluxIngestSetup(options, Path.Combine(dataDirectory, EdgeInfluxOptions.BufferFile),
                Path.Combine(dataDirectory, EdgeInfluxOptions.DeadLetterFile), new InfluxIngestLimits());
        });
        builder.Services.AddSingleton<EdgeInfluxWriter>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<EdgeInfluxWriter>());
    }
}
