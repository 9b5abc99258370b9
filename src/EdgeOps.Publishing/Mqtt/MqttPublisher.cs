using System.Buffers;
using EdgeOps.Contract;
using EdgeOps.Publishing.Mqtt.Commands;
using EdgeOps.Contract.Payloads;
using EdgeOps.Publishing.Outbox;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Protocol;

namespace EdgeOps.Publishing.Mqtt;

/// <summary>
/// The MQTT side of the gateway: messages go in with <see cref="EnqueueAsync"/> (durable at once), a connection loop keeps
/// an MQTT 5 persistent session up (fixed client id, clean start false, capped exponential backoff with jitter, TLS,
/// credentials), a send loop drains the outbox with QoS 1 and deletes only what the broker acknowledged. Birth on every
/// connect; the last will (offline) when the gateway vanishes, and on a graceful stop. Inbound commands go to the
/// <see cref="IInboundMessageHandler"/> registered before start (the <see cref="CommandRouter"/>) and are answered on
/// <c>.../cmd/{verb}/reply</c>.
/// </summary>
public sealed class MqttPublisher : IHostedService, IAsyncDisposable
{
    private static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(50);

    private readonly MqttOptions _options;
    private readonly BrokerEndpoint _endpoint;
    private IInboundMessageHandler? _inbound;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IMqttClient _client;
    private readonly object _sendGate = new();
    private readonly SendWindow _window;
    private readonly DateTimeOffset _startedAt;
    private readonly MqttCredentials? _credentials;
    private readonly MqttClientTlsOptions? _tls;
    private readonly string _statusTopic;
    private CancellationTokenSource? _stopping;
    private Task _loops = Task.CompletedTask;
    private TaskCompletionSource _disconnected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _ready;
    private bool _everConnected;
    private int _rejectedLogged;
    private int _attempt;
    private readonly PublishingMetrics? _metrics;

    /// <summary>
    /// Opens the outbox and prepares the client; nothing connects before <see cref="StartAsync"/>. <paramref name="credentials"/>
    /// replaces <see cref="MqttOptions.Credentials"/> (the embedded broker's login for the gateway). <paramref name="metrics"/>:
    /// the host's one <see cref="PublishingMetrics"/>; without it nothing is measured (a test's or a CLI verb's publisher).
    /// </summary>
    public MqttPublisher(MqttOptions options, TimeProvider time, ILoggerFactory loggers,
        MqttCredentials? credentials = null, PublishingMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggers);
        _options = options;
        _endpoint = options.Endpoint;
        _time = time;
        _logger = loggers.CreateLogger<MqttPublisher>();
        MqttTopics.Segment(options.GatewayId, "EdgeOps:Mqtt:GatewayId");
        _statusTopic = MqttTopics.GatewayStatus(options.Site, options.GatewayId);
        _credentials = credentials ?? MqttCredentials.Resolve(options);
        _tls = _endpoint.UseTls ? MqttTlsBuilder.Build(options.Tls, _endpoint.Host) : null;
        _window = new SendWindow(options.MaxInFlight);
        _startedAt = time.GetUtcNow();
        _metrics = metrics;
        Outbox = new DurableOutbox(options.Outbox, options.GatewayId, time, loggers.CreateLogger<DurableOutbox>(), metrics);
        _client = new MqttClientFactory().CreateMqttClient();
        _client.DisconnectedAsync += OnDisconnectedAsync;
        _client.ApplicationMessageReceivedAsync += OnMessageAsync;
    }

    /// <summary>The durable queue (depth, drops) for health checks and tests.</summary>
    public DurableOutbox Outbox { get; }

    /// <summary>True while a session is up and the send loop may publish.</summary>
    /// <summary>The broker in use: <c>embedded</c> or <c>mqtt(s)://host:port</c> (<see cref="BrokerEndpoint.Name"/>).</summary>
    public string Broker => _options.Endpoint.Name;

    public bool IsConnected => Volatile.Read(ref _ready) && _client.IsConnected;

    /// <summary>The retained status topic of this gateway.</summary>
    public string StatusTopic => _statusTopic;

    /// <summary>
    /// Writes <paramref name="message"/> to the outbox (durable when the task completes) and wakes the sender. Returns its
    /// seq. Concurrent calls share commits (group commit).
    /// </summary>
    public ValueTask<long> EnqueueAsync(OutgoingMessage message, CancellationToken cancellationToken) =>
        Outbox.EnqueueAsync(message, cancellationToken);

    /// <summary>Several messages in one commit (a tick's snapshots).</summary>
    public ValueTask<IReadOnlyList<long>> EnqueueBatchAsync(IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Outbox.EnqueueBatch(messages));
    }

    /// <summary>
    /// Sets the handler for messages on <see cref="MqttOptions.CommandFilters"/>; without one the publisher subscribes to
    /// nothing. Only before <see cref="StartAsync"/>, and only once: the first connection's subscription depends on it.
    /// </summary>
    public void RegisterInbound(IInboundMessageHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        if (_stopping is not null)
        {
            throw new InvalidOperationException("The inbound handler is registered before the MQTT publisher starts.");
        }

        if (_inbound is not null)
        {
            throw new InvalidOperationException(
                $"The MQTT publisher already has an inbound handler ({_inbound.GetType().Name}); {handler.GetType().Name} would replace it.");
        }

        _inbound = handler;
    }

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _stopping = new CancellationTokenSource();
        var token = _stopping.Token;
        _loops = Task.WhenAll(
            Task.Run(() => ConnectionLoopAsync(token), CancellationToken.None),
            Task.Run(() => SendLoopAsync(token), CancellationToken.None),
            Task.Run(() => SendWindow.FlushAcknowledgedAsync(Outbox, FlushInterval, _time, ex => MqttLog.LoopFailed(_logger, ex), token), CancellationToken.None));
        return Task.CompletedTask;
    }

    /// <summary>
    /// Gives in-flight messages a moment for their PUBACK, then disconnects with reason "disconnect with will message"
    /// so subscribers read offline, and closes the outbox. Unsent messages stay in the file for the next start.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_stopping is null)
        {
            return;
        }

        await _window.DrainAsync(() => IsConnected, _time, TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(false);

        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loops.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Expected: the loops end by cancellation.
        }

        lock (_sendGate)
        {
            _ready = false;
        }

        if (_client.IsConnected)
        {
            try
            {
                await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder()
                    .WithReason(MqttClientDisconnectOptionsReason.DisconnectWithWillMessage).Build(), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException)
            {
                // The broker is gone already: it will publish the will itself.
            }
        }

        MqttLog.Stopped(_logger, Outbox.Count);
        Outbox.FlushAcknowledged();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_stopping is { IsCancellationRequested: false })
        {
            await StopAsync(CancellationToken.None).ConfigureAwait(false);
        }

        _client.Dispose();
        Outbox.Dispose();
        _stopping?.Dispose();
    }

    private async Task ConnectionLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (!_client.IsConnected)
                {
                    await ConnectAsync(cancellationToken).ConfigureAwait(false);
                }

                if (_client.IsConnected)
                {
                    // Reconnecting is this loop's job, never the Disconnected event's: the event only wakes us.
                    await _disconnected.Task.WaitAsync(TimeSpan.FromSeconds(5), _time, cancellationToken)
                        .ConfigureAwait(false);
                }
            }
            catch (TimeoutException)
            {
                // Periodic check of IsConnected.
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                MqttLog.LoopFailed(_logger, ex);
                await Task.Delay(_options.ReconnectMinDelay, _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task ConnectAsync(CancellationToken cancellationToken)
    {
        var birthSeq = Outbox.ReserveSeqs(_statusTopic, 2);
        var options = BuildClientOptions(birthSeq + 1);
        _disconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _attempt++;
        MqttClientConnectResult result;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            result = await _client.ConnectAsync(options, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            var delay = NextDelay();
            MqttLog.ConnectFailed(_logger, _endpoint.Host, _endpoint.Port, _attempt, Describe(ex), (long)delay.TotalMilliseconds);
            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            var delay = NextDelay();
            MqttLog.ConnectRefused(_logger, _endpoint.Host, _endpoint.Port, result.ResultCode.ToString(), Hint(result.ResultCode),
                (long)delay.TotalMilliseconds);
            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (_everConnected)
        {
            _metrics?.Reconnected(_options.GatewayId);
        }

        _everConnected = true;
        _attempt = 0;
        if (_inbound is not null && _options.CommandFilters.Count > 0)
        {
            var subscribe = new MqttClientSubscribeOptionsBuilder();
            foreach (var filter in _options.CommandFilters)
            {
                subscribe.WithTopicFilter(filter, MqttQualityOfServiceLevel.AtLeastOnce, noLocal: true, retainAsPublished: false,
                    MqttRetainHandling.DoNotSendOnSubscribe);
            }

            await _client.SubscribeAsync(subscribe.Build(), cancellationToken).ConfigureAwait(false);
        }

        lock (_sendGate)
        {
            // Everything not acknowledged, including what was in flight on the old connection, is the backlog now;
            // nothing is sent on this connection before this line.
            Outbox.BeginReplay();
            _ready = true;
        }

        MqttLog.Connected(_logger, _endpoint.Host, _endpoint.Port, _options.GatewayId, result.IsSessionPresent, Outbox.Count);
        Outbox.Enqueue(StatusMessage("online", birthSeq));
    }

    private MqttClientOptions BuildClientOptions(long willSeq)
    {
        var will = StatusMessage("offline", willSeq);
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(_endpoint.Host, _endpoint.Port)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
            .WithClientId(_options.GatewayId)
            .WithCleanStart(false)
            .WithSessionExpiryInterval((uint)Math.Clamp(_options.SessionExpiry.TotalSeconds, 0, uint.MaxValue))
            .WithKeepAlivePeriod(_options.KeepAlive)
            .WithTimeout(TimeSpan.FromSeconds(10))
            .WithWillTopic(_statusTopic)
            .WithWillPayload(will.RenderPayload(willSeq))
            .WithWillRetain(true)
            .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithWillContentType("application/json");
        if (_credentials is not null)
        {
            builder.WithCredentials(_credentials.Username, _credentials.Password);
        }

        if (_tls is not null)
        {
            builder.WithTlsOptions(_tls);
        }

        return builder.Build();
    }

    private OutgoingMessage StatusMessage(string state, long seq)
    {
        // The seq is fixed by the caller: the birth takes the first reserved number and its will the next.
        var now = _time.GetUtcNow();
        var payload = new GatewayStatusPayload
        {
            Ts = now,
            GatewayId = _options.GatewayId,
            State = state,
            Version = _options.Version,
            StartedAt = _startedAt,
            UptimeS = Math.Round((now - _startedAt).TotalSeconds, 3),
            ConfigHash = _options.ConfigHash,
            Broker = _options.Endpoint.Name,
        };
        return OutgoingMessage.Json(_statusTopic, MessageKind.Status, payload, PayloadJsonContext.Default.GatewayStatusPayload, seq);
    }

    private async Task SendLoopAsync(CancellationToken cancellationToken)
    {
        var taken = new List<OutboxEntry>(_window.Capacity);
        var publishes = new List<Task<MqttClientPublishResult>>(_window.Capacity);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var free = _window.Free;
                if (free <= 0)
                {
                    await _window.WaitOpenedAsync(cancellationToken).ConfigureAwait(false);
                    continue;
                }

                var wait = Timeout.InfiniteTimeSpan;
                taken.Clear();
                publishes.Clear();
                lock (_sendGate)
                {
                    // As many as the window allows under one lock; PUBLISHes go out in this order, so each topic stays in order.
                    if (_ready && Outbox.TryTakeMany(free, taken, out wait))
                    {
                        _window.Add(taken.Count);
                        foreach (var entry in taken)
                        {
                            publishes.Add(PublishAsync(entry));
                        }
                    }
                }

                if (taken.Count == 0)
                {
                    await Outbox.Changed.WaitAsync(wait, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                for (var i = 0; i < taken.Count; i++)
                {
                    _ = CompleteAsync(publishes[i], taken[i]);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                MqttLog.LoopFailed(_logger, ex);
                await Task.Delay(TimeSpan.FromMilliseconds(200), _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private Task<MqttClientPublishResult> PublishAsync(OutboxEntry entry)
    {
        try
        {
            return _client.PublishAsync(ToMessage(entry), CancellationToken.None);
        }
        catch (Exception ex)
        {
            // Thrown before any await (e.g. not connected): CompleteAsync treats it like a lost connection.
            return Task.FromException<MqttClientPublishResult>(ex);
        }
    }

    private async Task CompleteAsync(Task<MqttClientPublishResult> publish, OutboxEntry entry)
    {
        try
        {
            var result = await publish.ConfigureAwait(false);
            if (result.ReasonCode is MqttClientPublishReasonCode.Success or MqttClientPublishReasonCode.NoMatchingSubscribers)
            {
                Outbox.Acknowledge(entry);
                _metrics?.Acknowledged(_options.GatewayId,
                    _time.GetUtcNow() - DateTimeOffset.FromUnixTimeMilliseconds(entry.CreatedUnixMs));
            }
            else if (Interlocked.Increment(ref _rejectedLogged) <= 100)
            {
                MqttLog.PublishRejected(_logger, entry.Topic, entry.Seq, result.ReasonCode.ToString(), result.ReasonString);
            }
        }
        catch (Exception ex) when (ex is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException
            or InvalidOperationException or ObjectDisposedException)
        {
            // The connection went away with it in flight: it is replayed after the next connect.
        }
        finally
        {
            _window.Release();
        }
    }


    private Task OnDisconnectedAsync(MqttClientDisconnectedEventArgs e)
    {
        bool wasReady;
        lock (_sendGate)
        {
            wasReady = _ready;
            _ready = false;
        }

        if (wasReady)
        {
            MqttLog.Disconnected(_logger, e.Exception?.Message ?? e.Reason.ToString(), Outbox.Count);
        }

        _disconnected.TrySetResult();
        return Task.CompletedTask;
    }

    private async Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        if (_inbound is not { } inbound)
        {
            return;
        }

        // Handled inline: the PUBACK goes out after the command is applied and its reply is in the outbox.
        var reply = await inbound.HandleAsync(e.ApplicationMessage.Topic, e.ApplicationMessage.Payload.ToArray(),
            Sender(e.ApplicationMessage), _stopping?.Token ?? CancellationToken.None).ConfigureAwait(false);
        if (reply is not null)
        {
            Outbox.Enqueue(reply);
        }
    }

    /// <summary>
    /// The authenticated sender the embedded broker stamped on the command. Only that broker's stamp is trusted: it removes
    /// a forged one; an external broker passes user properties through as the sender wrote them.
    /// </summary>
    private string? Sender(MqttApplicationMessage message)
    {
        if (!_endpoint.Embedded || message.UserProperties?.LastOrDefault(p => p.Name == EmbeddedBroker.SenderProperty) is not { } stamp)
        {
            return null;
        }

        return System.Text.Encoding.UTF8.GetString(stamp.ValueBuffer.Span);
    }

    private static MqttApplicationMessage ToMessage(OutboxEntry entry) => new()
    {
        Topic = entry.Topic,
        PayloadSegment = entry.Payload!,
        QualityOfServiceLevel = MqttQualityOfServiceLevel.AtLeastOnce,
        Retain = entry.Retain,
        ContentType = "application/json",
        PayloadFormatIndicator = MqttPayloadFormatIndicator.CharacterData,
    };

    private TimeSpan NextDelay()
    {
        // With jitter, so a plant's gateways do not reconnect in step after a broker restart.
        return Backoff.WithJitter(Backoff.Exponential(_options.ReconnectMinDelay, _options.ReconnectMaxDelay, _attempt - 1), Random.Shared.NextDouble());
    }

    private string Hint(MqttClientConnectResultCode code) => code switch
    {
        MqttClientConnectResultCode.BadUserNameOrPassword or MqttClientConnectResultCode.NotAuthorized =>
            _credentials is null
                ? "The broker wants credentials: set EdgeOps:Mqtt:Username and EdgeOps:Mqtt:Password (EdgeOps__Mqtt__Username/Password in /etc/edgeops/edgeops.env, or files of those names in /etc/edgeops/credentials/)."
                : $"Check the {_credentials}.",
        MqttClientConnectResultCode.ClientIdentifierNotValid => $"The broker refuses client id '{_options.GatewayId}' (EdgeOps:Mqtt:GatewayId).",
        _ => "See the broker's log.",
    };

    private static string Describe(Exception ex)
    {
        var inner = ex;
        while (inner.InnerException is not null)
        {
            inner = inner.InnerException;
        }

        return ReferenceEquals(inner, ex) ? $"{ex.GetType().Name}: {ex.Message}" : $"{ex.GetType().Name}: {ex.Message} ({inner.Message})";
    }
}
