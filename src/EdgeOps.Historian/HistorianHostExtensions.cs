using EdgeOps.Ingest;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeOps.Historian;

/// <summary>All of the historian's wiring, so Program.cs stays a few lines.</summary>
public static class HistorianHostExtensions
{
    /// <summary>The durable buffer under the data directory.</summary>
    public const string BufferFile = "historian-buffer.db";

    public static HostApplicationBuilder AddHistorian(this HostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptionsWithValidateOnStart<HistorianOptions, HistorianOptionsValidator>()
            .Bind(builder.Configuration.GetSection(HistorianOptions.Section));
        services.AddSingleton<IValidateOptions<HistorianOptions>>(_ => new HistorianUnknownSettingsValidator(builder.Configuration));
        services.AddSingleton(TimeProvider.System);
        services.AddInfluxIngest(sp =>
        {
            var options = Options(sp);
            var limits = new InfluxIngestLimits { MaxUnacknowledged = options.Mqtt.ReceiveMaximum, QueueCapacity = Math.Max(options.Mqtt.ReceiveMaximum * 2, 1000) };
            return new InfluxIngestSetup(options.Influx, Path.Combine(options.DataDirectory, BufferFile),
                Path.Combine(options.DataDirectory, "dead-letters.jsonl"), limits);
        });
        services.AddSingleton(sp =>
        {
            var options = Options(sp);
            var ingest = sp.GetRequiredService<InfluxIngest>();
            HistorianLog.Starting(sp.GetRequiredService<ILogger<HistorianService>>(), sp.GetRequiredService<IInfluxWriter>().Endpoint,
                options.Influx.Api.ToString(), Path.GetFullPath(Path.Combine(options.DataDirectory, BufferFile)), ingest.Buffered);
            return ActivatorUtilities.CreateInstance<HistorianService>(sp);
        });
        services.AddHostedService(sp => sp.GetRequiredService<HistorianService>());
        // The meter provider starts with the host, so counters added before the first scrape count too.
        HistorianMetricsEndpoint.Add(services, builder.Configuration);
        return builder;
    }

    private static HistorianOptions Options(IServiceProvider services) =>
        services.GetRequiredService<IOptions<HistorianOptions>>().Value;
}
