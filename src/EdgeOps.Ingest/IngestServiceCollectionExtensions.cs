using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace EdgeOps.Ingest;

/// <summary>What one <see cref="InfluxIngest"/> writes to and where it keeps its files.</summary>
/// <param name="Influx">The InfluxDB endpoint, batching and retry settings (validated by the caller's options).</param>
/// <param name="BufferPath">The durable spill buffer (SQLite) for batches InfluxDB could not take.</param>
/// <param name="DeadLetterPath">The JSON-lines file of messages and lines InfluxDB rejects.</param>
/// <param name="Limits">Queue and acknowledgement bounds.</param>
public sealed record InfluxIngestSetup(InfluxOptions Influx, string BufferPath, string DeadLetterPath, InfluxIngestLimits Limits);

/// <summary>The one wiring of the MQTT-contract-to-InfluxDB pipeline, used by the historian and the gateway's edge-local writer.</summary>
public static class IngestServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="InfluxIngest"/> and its parts as singletons: the writer for <see cref="InfluxOptions.Api"/>
    /// (<see cref="IInfluxWriter"/>), the dead letters (<see cref="IDeadLetterSink"/>), the spill buffer
    /// (<see cref="ISpillBuffer"/>), <see cref="InfluxBatchWriter"/>, <see cref="ContractLineMapper"/> and
    /// <see cref="IngestMetrics"/> (from the host's <c>IMeterFactory</c>). The container
    /// disposes them. <paramref name="setup"/> runs once, when the ingest is first resolved, after options validation.
    /// </summary>
    public static IServiceCollection AddInfluxIngest(this IServiceCollection services, Func<IServiceProvider, InfluxIngestSetup> setup)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(setup);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(setup);
        // From the host's IMeterFactory (every Host and WebApplication builder registers one).
        services.TryAddSingleton<IngestMetrics>();
        services.AddSingleton<IDeadLetterSink>(sp => new DeadLetterFile(sp.GetRequiredService<InfluxIngestSetup>().DeadLetterPath));
        services.AddSingleton<ISpillBuffer>(sp => new OutboxSpillBuffer(sp.GetRequiredService<InfluxIngestSetup>().BufferPath));
        services.AddSingleton<IInfluxWriter>(sp =>
        {
            var influx = sp.GetRequiredService<InfluxIngestSetup>().Influx;
            return influx.Api == InfluxApiVersion.V1 ? new InfluxV1Writer(influx) : new InfluxV2Writer(influx);
        });
        services.AddSingleton(sp => new InfluxBatchWriter(sp.GetRequiredService<IInfluxWriter>(),
            sp.GetRequiredService<IDeadLetterSink>(), sp.GetRequiredService<TimeProvider>(), Logger(sp), sp.GetRequiredService<IngestMetrics>()));
        services.AddSingleton(sp => new ContractLineMapper(sp.GetRequiredService<IDeadLetterSink>(),
            sp.GetRequiredService<TimeProvider>(), Logger(sp), sp.GetRequiredService<IngestMetrics>()));
        services.AddSingleton(sp =>
        {
            var settings = sp.GetRequiredService<InfluxIngestSetup>();
            return new InfluxIngest(sp.GetRequiredService<InfluxBatchWriter>(), sp.GetRequiredService<ISpillBuffer>(),
                sp.GetRequiredService<ContractLineMapper>(), settings.Influx, settings.Limits, sp.GetRequiredService<TimeProvider>(), Logger(sp));
        });
        return services;
    }

    // One category for the whole pipeline, as before the wiring was shared: operators filter on it.
    private static ILogger Logger(IServiceProvider services) =>
        services.GetRequiredService<ILoggerFactory>().CreateLogger("EdgeOps.Influx");
}
