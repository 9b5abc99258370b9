using System.Diagnostics.Metrics;
using EdgeOps.Publishing.Influx;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Protocol;

namespace EdgeOps.Historian;

/// <summary>
/// MQTT in, InfluxDB out. Subscribes with a persistent session and manual acknowledgement: the receive callback
/// only queues the message; a message is acknowledged (in order) only when <see cref="InfluxIngest"/> reports its
/// points stored, dead-lettered or in the durable buffer. Until then the broker keeps it and redelivers it after a crash.
/// </summary>
public sealed class HistorianService : BackgroundService
{
    private static readonly Meter Meter = new("EdgeOps");
    private static readonly Counter<long> Messages = Meter.CreateCounter<long>("edgeops.historian.messages", "{message}", "MQTT messages received");

    private readonly HistorianOptions _options;
    private readonly InfluxIngest _ingest;
    private readonly TimeProvider _time;
    private readonly ILogger<HistorianService> _logger;
    private readonly IMqttClient _client;
    private long _received;
    private CancellationToken _stopping;
    private bool _subscribed;

    public HistorianService(IOptions<HistorianOptions> options, InfluxIngest ingest,
        TimeProvider time, ILogger<HistorianService> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _ingest = ingest;
        _time = time;
        _logger = logger;
        _client = new MqttClientFactory().CreateMqttClient();
        _client.ApplicationMessageReceivedAsync += OnMessageAsync;
    }

    /// <summary>Messages received since start (including redeliveries).</summary>
    public long Received => Interlocked.Read(ref _received);

    public bool IsConnected => _client.IsConnected;

    /// <summary>Connected, and the broker holds the subscription (SUBACK received, or a resumed session that has it).</summary>
    public bool IsSubscribed => _client.IsConnected && Volatile.Read(ref _subscribed);

    public override void Dispose()
    {
        _client.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _stopping = stoppingToken;
        var pipeline = _ingest.RunAsync(stoppingToken);
        var attempt = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!_client.IsConnected)
                {
                    await ConnectAsync(stoppingToken).ConfigureAwait(false);
                    attempt = 0;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(500), _time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
#pragma warning disable CA1031 // Reconnect is a loop: log, back off, try again.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                var delay = RetryDelay.Next(attempt++, null, Random.Shared.NextDouble());
                delay = delay > TimeSpan.FromSeconds(10) ? TimeSpan.FromSeconds(10) : delay;
                HistorianLog.ConnectFailed(_logger, _options.Mqtt.Host, _options.Mqtt.Port, delay.TotalMilliseconds, ex);
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
        try
        {
            await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Shutting down: the broker keeps the session either way.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    private async Task ConnectAsync(CancellationToken cancellationToken)
    {
        var mqtt = _options.Mqtt;
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(mqtt.Host, mqtt.Port)
            .WithStreamProvider(new ReadBufferedStreamProvider())
            .WithClientId(mqtt.ClientId)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
            .WithCleanStart(false)
            .WithSessionExpiryInterval((uint)Math.Min(mqtt.SessionExpiry.TotalSeconds, uint.MaxValue - 1))
            .WithReceiveMaximum((ushort)mqtt.ReceiveMaximum)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(15))
            .WithTimeout(TimeSpan.FromSeconds(30));
        if (!string.IsNullOrEmpty(mqtt.Username))
        {
            builder = builder.WithCredentials(mqtt.Username, mqtt.Password);
        }

        var result = await _client.ConnectAsync(builder.Build(), cancellationToken).ConfigureAwait(false);
        var subscribe = new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(f => f.WithTopic(mqtt.SubscriptionTopic).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                // Re-subscribing on a resumed session must not resend every retained message (rewriting them is harmless, but slow).
                .WithRetainHandling(MqttRetainHandling.SendAtSubscribeIfNewSubscriptionOnly))
            .Build();
        if (!result.IsSessionPresent)
        {
            await _client.SubscribeAsync(subscribe, cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _subscribed, true);
        }
        else
        {
            // The session still holds the subscription and the broker is already sending what it queued; its SUBACK
            // comes behind those messages, so re-subscribing (for a changed topic) must not hold up the connect.
            Volatile.Write(ref _subscribed, true);
            _ = ResubscribeAsync(subscribe, cancellationToken);
        }

        HistorianLog.Connected(_logger, mqtt.Host, mqtt.Port, mqtt.ClientId, mqtt.SubscriptionTopic, result.IsSessionPresent);
    }

    private async Task ResubscribeAsync(MqttClientSubscribeOptions subscribe, CancellationToken cancellationToken)
    {
        try
        {
            await _client.SubscribeAsync(subscribe, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
#pragma warning disable CA1031 // The resumed session's subscription stays in force; a failed refresh is only logged.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            HistorianLog.ResubscribeFailed(_logger, ex);
        }
    }

    /// <summary>
    /// Runs on MQTTnet's receive loop, one message after the other: it only copies the message and queues it. Mapping,
    /// writing and the acknowledgement happen on the ingest's workers; the acknowledgement is deferred (manual).
    /// </summary>
    private Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        e.AutoAcknowledge = false;
        Interlocked.Increment(ref _received);
        Messages.Add(1);
        var topic = e.ApplicationMessage.Topic;
        try
        {
            // The payload's buffer belongs to the client; the batch keeps its own copy until it is written.
            var payload = System.Buffers.BuffersExtensions.ToArray(e.ApplicationMessage.Payload);
            Func<CancellationToken, ValueTask> onDurable = ct => AcknowledgeAsync(e, ct);
            return _ingest.TryEnqueue(topic, payload, onDurable) ? Task.CompletedTask : EnqueueSlowAsync(topic, payload, onDurable);
        }
#pragma warning disable CA1031 // One bad message must not stop the receive loop; unacknowledged, it comes back after a reconnect.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            HistorianLog.HandlerFailed(_logger, topic, ex);
            return Task.CompletedTask;
        }
    }

    /// <summary>The queue is full: wait for room, holding back the receive loop (and so the broker).</summary>
    private async Task EnqueueSlowAsync(string topic, byte[] payload, Func<CancellationToken, ValueTask> onDurable)
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

    private async ValueTask AcknowledgeAsync(MqttApplicationMessageReceivedEventArgs e, CancellationToken cancellationToken)
    {
        if (!_client.IsConnected)
        {
            // The connection this message came on is gone: the broker redelivers it; rewriting it is idempotent.
            return;
        }

        try
        {
            await e.AcknowledgeAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: the broker redelivers what was not acknowledged; rewriting it is idempotent.
        }
#pragma warning disable CA1031 // A lost connection loses the ack, not the data: the broker redelivers, the rewrite is identical.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            HistorianLog.AckFailed(_logger, ex);
        }
    }
}
