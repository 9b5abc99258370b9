using System.Diagnostics.Metrics;
using EdgeOps.Ingest;
using EdgeOps.Publishing.Mqtt.Engine;

namespace EdgeOps.Gateway.Influx;

/// <summary>
/// The edge-local InfluxDB writer: every message the gateway publishes (state, counts, kpi, events, shift), exactly as
/// published, is also mapped with the historian's <see cref="ContractLineMapper"/> and written through the same
/// <see cref="InfluxIngest"/> (one wiring, <see cref="IngestServiceCollectionExtensions.AddInfluxIngest"/>: batches, retries, dead letters, durable buffer). It taps the
/// engine bridge after the outbox write, so MQTT publishing is unaffected by InfluxDB being slow or down.
/// </summary>
internal sealed partial class EdgeInfluxWriter : BackgroundService
{

    private readonly InfluxIngest _ingest;
    private readonly ILogger<EdgeInfluxWriter> _logger;
    private readonly TimeSpan _stopTimeout;
    private readonly Counter<long> _droppedCounter;
    private long _dropped;

    public EdgeInfluxWriter(InfluxIngestSetup setup, InfluxIngest ingest, IInfluxWriter writer, MqttEngineBridge bridge, IMeterFactory meters,
        ILogger<EdgeInfluxWriter> logger)
    {
        ArgumentNullException.ThrowIfNull(meters);
        _droppedCounter = meters.Create(Metrics.GatewayMeter.Name).CreateCounter<long>("edgeops.influx.local_dropped", "{message}",
            "Messages the edge-local InfluxDB writer could not queue (its queue was full)");
        ArgumentNullException.ThrowIfNull(setup);
        ArgumentNullException.ThrowIfNull(ingest);
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(bridge);
        _ingest = ingest;
        _logger = logger;
        _stopTimeout = setup.Influx.RetryBudget + setup.Influx.RequestTimeout + TimeSpan.FromSeconds(2);
        Log.Starting(_logger, writer.Endpoint, setup.Influx.Api.ToString(), ingest.Buffered);
        bridge.AddObserver(OnPublished);
    }

    /// <summary>Lines InfluxDB accepted.</summary>
    public long Written => _ingest.Written;

    /// <summary>Batches waiting in the durable buffer.</summary>
    public long Buffered => _ingest.Buffered;

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // The engine loop has stopped (it was started after this service): write what it queued last.
        if (!await _ingest.CompleteAsync(_stopTimeout).ConfigureAwait(false))
        {
            Log.StopTimedOut(_logger, _stopTimeout.TotalSeconds);
        }

        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => _ingest.RunAsync(stoppingToken);

    /// <summary>On the engine thread: queue and return. A full queue (InfluxDB down and the disk failing) drops and counts.</summary>
    private void OnPublished(string topic, byte[] payload)
    {
        if (!_ingest.TryEnqueue(topic, payload, null))
        {
            _droppedCounter.Add(1);
            if (Interlocked.Increment(ref _dropped) % 1000 == 1)
            {
                Log.QueueFull(_logger, topic, Interlocked.Read(ref _dropped));
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 6200, Level = LogLevel.Information, Message = "Edge-local InfluxDB writer to {Endpoint} ({Api}); durable buffer holds {Buffered} batches")]
        public static partial void Starting(ILogger logger, string endpoint, string api, long buffered);

        [LoggerMessage(EventId = 6201, Level = LogLevel.Error, Message = "Edge-local InfluxDB queue full: message on {Topic} not stored in InfluxDB ({Dropped} so far; MQTT is unaffected)")]
        public static partial void QueueFull(ILogger logger, string topic, long dropped);

        [LoggerMessage(EventId = 6202, Level = LogLevel.Warning, Message = "Edge-local InfluxDB writer did not finish within {Seconds} s of the stop; the rest is lost for InfluxDB (not for MQTT)")]
        public static partial void StopTimedOut(ILogger logger, double seconds);
    }
}
