using EdgeOps.Publishing.Influx;
using EdgeOps.Publishing.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeOps.Historian;

/// <summary>All of the historian's wiring, so Program.cs stays a few lines.</summary>
public static class HistorianHostExtensions
{
    public static HostApplicationBuilder AddHistorian(this HostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<HistorianOptions>()
            .Bind(builder.Configuration.GetSection(HistorianOptions.Section))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<HistorianOptions>, HistorianOptionsValidator>();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<IDeadLetterSink>(sp =>
            new DeadLetterFile(Path.Combine(Options(sp).DataDirectory, "dead-letters.jsonl")));
        services.AddSingleton<ISpillBuffer>(sp =>
            new OutboxSpillBuffer(Path.Combine(Options(sp).DataDirectory, "historian-buffer.db")));
        services.AddSingleton<IInfluxWriter>(sp =>
        {
            var influx = Options(sp).Influx;
            return influx.Api == InfluxApiVersion.V1 ? new InfluxV1Writer(influx) : new InfluxV2Writer(influx);
        });
        services.AddSingleton(sp => new InfluxBatchWriter(
            sp.GetRequiredService<IInfluxWriter>(), sp.GetRequiredService<IDeadLetterSink>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>().CreateLogger("EdgeOps.Influx")));
        services.AddSingleton(sp => new ContractLineMapper(sp.GetRequiredService<IDeadLetterSink>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>().CreateLogger("EdgeOps.Influx")));
        services.AddSingleton(sp =>
        {
            var options = Options(sp);
            var limits = new InfluxIngestLimits { MaxUnacknowledged = options.Mqtt.ReceiveMaximum, QueueCapacity = Math.Max(options.Mqtt.ReceiveMaximum * 2, 1000) };
            var ingest = new InfluxIngest(sp.GetRequiredService<InfluxBatchWriter>(), sp.GetRequiredService<ISpillBuffer>(),
                sp.GetRequiredService<ContractLineMapper>(), options.Influx, limits, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>().CreateLogger("EdgeOps.Influx"));
            HistorianLog.Starting(sp.GetRequiredService<ILogger<HistorianService>>(), sp.GetRequiredService<IInfluxWriter>().Endpoint,
                options.Influx.Api.ToString(), Path.GetFullPath(Path.Combine(options.DataDirectory, "historian-buffer.db")), ingest.Buffered);
            return ingest;
        });
        services.AddSingleton<HistorianService>();
        services.AddHostedService(sp => sp.GetRequiredService<HistorianService>());
        // Created with the host, so counters added before the first scrape count too.
        services.AddSingleton<PrometheusExporter>();
        services.AddHostedService<HistorianMetricsEndpoint>();
        return builder;
    }

    private static HistorianOptions Options(IServiceProvider services) =>
        services.GetRequiredService<IOptions<HistorianOptions>>().Value;
}
