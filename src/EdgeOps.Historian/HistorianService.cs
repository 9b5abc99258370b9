using System.Diagnostics.Metrics;
using EdgeOps.Ingest;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using EdgeOps.Historian.Mqtt;
using EdgeOps.Contract;

namespace EdgeOps.Historian;

/// <summary>
/// MQTT in, InfluxDB out. Subscribes with a persistent session and acknowledges late: the read loop only copies each
/// message and queues it; a message is acknowledged (in order) only when <see cref="InfluxIngest"/> reports its points
/// stored, dead-lettered or in the durable buffer. Until then the broker keeps it and redelivers it after a crash.
/// The receive side is <see cref="MqttSubscriberConnection"/>, built for this bulk path (see docs/historian.md).
/// </summary>
public sealed class HistorianService : BackgroundService
{
    /// <summary>The historian area's meter (docs/operations.md lists every area's meter).</summary>
    public const string MeterName = "EdgeOps.Historian";

    private readonly Counter<long> _messagesCounter;
    private readonly Counter<long> _failedBatchesCounter;

    private readonly HistorianOptions _options;
    private readonly InfluxIngest _ingest;
    private readonly TimeProvider _time;
    private readonly ILogger<HistorianService> _logger;
    private readonly MqttPublishHandler _onPublish;
    private readonly MqttSubscriberSettings _settings;
    private MqttSubscriberConnection? _connection;
    private long _received;
    private long _batchesFailed;
    private CancellationToken _stopping;
    private bool _subscribed;

    public HistorianService(IOptions<HistorianOptions> options, InfluxIngest ingest,
        TimeProvider time, IMeterFactory meters, ILogger<HistorianService> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(MeterName);
        _messagesCounter = meter.CreateCounter<long>("edgeops.historian.messages", "{message}", "MQTT messages received");
        _failedBatchesCounter = meter.CreateCounter<long>("edgeops.historian.failed_batches", "{batch}",
            "Batches not stored, dead-lettered nor buffered; each drops the MQTT connection so the broker redelivers them");
        _options = options.Value;
        _ingest = ingest;
        _time = time;
        _logger = logger;
        _onPublish = OnPublish;
        _ingest.BatchFailed += OnBatchFailed;
        // Once: the TLS files are read here, so a bad one stops the start naming its key instead of failing every reconnect.
        _settings = Settings(_options.Mqtt);
    }

    /// <summary>Batches that could not be stored (each drops the connection for a redelivery).</summary>
    public long BatchesFailed => Interlocked.Read(ref _batchesFailed);

    /// <summary>Messages received since start (including redeliveries).</summary>
    public long Received => Interlocked.Read(ref _received);

    public bool IsConnected => Volatile.Read(ref _connection) is { IsOpen: true };

    /// <summary>Connected, and the broker holds the subscription (SUBACK received, or a resumed session that has it).</summary>
    public bool IsSubscribed => IsConnected && Volatile.Read(ref _subscribed);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _stopping = stoppingToken;
        var pipeline = _ingest.RunAsync(stoppingToken);
        var attempt = 0;
        MqttSubscriberConnection? connection = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                connection = await MqttSubscriberConnection.ConnectAsync(_settings, stoppingToken).ConfigureAwait(false);
                Volatile.Write(ref _connection, connection);
                var run = connection.RunAsync(_onPublish, stoppingToken);
                await SubscribeAsync(connection, run, stoppingToken).ConfigureAwait(false);
                attempt = 0;
                await run.ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
#pragma warning disable CA1031 // Reconnect is a loop: log, back off, try again.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Volatile.Write(ref _subscribed, false);
                var delay = RetryDelay.Next(attempt++, null, Random.Shared.NextDouble());
                delay = delay > TimeSpan.FromSeconds(10) ? TimeSpan.FromSeconds(10) : delay;
                if (connection is null)
                {
                    HistorianLog.ConnectFailed(_logger, _options.Mqtt.Host, _options.Mqtt.Port, delay.TotalMilliseconds, ex);
                }
                else
                {
                    HistorianLog.ConnectionLost(_logger, _options.Mqtt.Host, _options.Mqtt.Port, delay.TotalMilliseconds, ex);
                    await connection.DisposeAsync().ConfigureAwait(false);
                    connection = null;
                }

                try
                {
                    await Task.Delay(delay, _time, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }

        // The pipeline first (it stops at once: the token is cancelled), so no acknowledgement races the disconnect.
        await pipeline.ConfigureAwait(false);
        Volatile.Write(ref _subscribed, false);
        if (connection is not null)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await connection.DisconnectAsync(timeout.Token).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // Shutting down: the broker keeps the session either way.
            catch (Exception)
#pragma warning restore CA1031
            {
            }

            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static MqttSubscriberSettings Settings(HistorianMqttOptions mqtt) =>
        new()
        {
            Host = mqtt.Host,
            Port = mqtt.Port,
            ClientId = mqtt.ClientId,
            Username = string.IsNullOrEmpty(mqtt.Username) ? null : mqtt.Username,
            Password = string.IsNullOrEmpty(mqtt.Username) ? null : mqtt.Password,
            CleanStart = false,
            SessionExpiry = mqtt.SessionExpiry,
            ReceiveMaximum = mqtt.ReceiveMaximum,
            MaximumPacketSize = mqtt.MaximumPacketSize,
            KeepAlive = TimeSpan.FromSeconds(15),
            Timeout = TimeSpan.FromSeconds(30),
            Tls = mqtt.UseTls ? BrokerTls.BuildSsl(mqtt.Tls, mqtt.Host, HistorianOptions.Section + ":Mqtt:Tls") : null,
        };

    private async Task SubscribeAsync(MqttSubscriberConnection connection, Task run, CancellationToken cancellationToken)
    {
        var mqtt = _options.Mqtt;
        // Re-subscribing on a resumed session must not resend every retained message (rewriting them is harmless, but slow).
        const int SendRetainedIfNewSubscriptionOnly = 1;
        if (!connection.SessionPresent)
        {
            var subscribe = connection.SubscribeAsync(mqtt.SubscriptionTopic, SendRetainedIfNewSubscriptionOnly, TimeSpan.FromSeconds(30), cancellationToken);
            if (await Task.WhenAny(subscribe, run).ConfigureAwait(false) == run)
            {
                await run.ConfigureAwait(false);
            }

            await subscribe.ConfigureAwait(false);
            Volatile.Write(ref _subscribed, true);
        }
        else
        {
            // The session still holds the subscription and the broker is already sending what it queued; its SUBACK
            // comes behind those messages, so re-subscribing (for a changed topic) must not hold up the connect.
            Volatile.Write(ref _subscribed, true);
            _ = ResubscribeAsync(connection, mqtt.SubscriptionTopic, cancellationToken);
        }

        HistorianLog.Connected(_logger, mqtt.Host, mqtt.Port, mqtt.ClientId, mqtt.SubscriptionTopic, connection.SessionPresent);
    }

    private async Task ResubscribeAsync(MqttSubscriberConnection connection, string topic, CancellationToken cancellationToken)
    {
        try
        {
            await connection.SubscribeAsync(topic, 1, TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
#pragma warning disable CA1031 // The resumed session's subscription stays in force; a failed refresh is only logged.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            if (connection.IsOpen)
            {
                HistorianLog.ResubscribeFailed(_logger, ex);
            }
        }
    }

    /// <summary>
    /// A batch was not stored and its messages stay unacknowledged. MQTT redelivers only on a new connection, so without
    /// one they would sit in the broker's in-flight window for the life of this connection: drop it now (the loop
    /// reconnects, the session holds them, the broker sends them again and the write is idempotent).
    /// </summary>
    private void OnBatchFailed(int messages)
    {
        Interlocked.Increment(ref _batchesFailed);
        _failedBatchesCounter.Add(1);
        if (Volatile.Read(ref _connection) is { IsOpen: true } connection)
        {
            HistorianLog.BatchFailed(_logger, messages, _options.Mqtt.Host, _options.Mqtt.Port);
            connection.Abort($"a batch of {messages} messages was not stored; the broker redelivers them");
        }
    }

    /// <summary>
    /// Runs on the connection's read loop, one message after the other: it only copies the message and queues it.
    /// Mapping, writing and the acknowledgement happen on the ingest's workers.
    /// </summary>
    private ValueTask OnPublish(string topic, ReadOnlySpan<byte> payload, MqttDelivery delivery)
    {
        Interlocked.Increment(ref _received);
        _messagesCounter.Add(1);
        // The payload points into the read buffer; the batch keeps its own copy until it is written.
        var copy = payload.ToArray();
        Func<CancellationToken, ValueTask>? onDurable = delivery.QualityOfService == 0 ? null : _ =>
        {
            delivery.Acknowledge();
            return ValueTask.CompletedTask;
        };
        return _ingest.TryEnqueue(topic, copy, onDurable) ? ValueTask.CompletedTask : EnqueueSlowAsync(topic, copy, onDurable);
    }

    /// <summary>The queue is full: wait for room, holding back the read loop (and so the broker).</summary>
    private async ValueTask EnqueueSlowAsync(string topic, byte[] payload, Func<CancellationToken, ValueTask>? onDurable)
    {
        try
        {
            await _ingest.EnqueueAsync(topic, payload, onDurable, _stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Shutting down: unacknowledged, the message comes back on the next start.
        }
    }
}
