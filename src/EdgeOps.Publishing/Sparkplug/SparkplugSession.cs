using System.Buffers;
using System.Text.Json;
using EdgeOps.Contract;
using EdgeOps.Contract.Payloads;
using EdgeOps.Contract.Sparkplug;
using EdgeOps.Core.Model;
using EdgeOps.Publishing.Mqtt;
using EdgeOps.Publishing.Outbox;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Protocol;

namespace EdgeOps.Publishing.Sparkplug;

/// <summary>
/// The Sparkplug B 3.0 edge node session: its own MQTT connection (one will per connection, and the NDEATH must be this
/// one's), clean start, NDEATH with a durable <c>bdSeq</c> as the will, NBIRTH then a DBIRTH per machine before any data,
/// <c>seq</c> 0-255 over every message, data through a durable outbox of its own, rebirth and next-server on NCMD,
/// DCMD onto the contract's commands, and the primary host's STATE.
/// </summary>
/// <remarks>
/// Locks: <c>_sendGate</c> (what is live, seq, the order of PUBLISHes), then the model's gate (values, session stamp). The
/// engine sink takes only the model's gate, then writes to the outbox outside it. Births are made from the current
/// values when a session starts and are never queued: a message of a session that has ended is sent as historical
/// (data) or not at all (device births and deaths, which the new session's births supersede).
/// </remarks>
public sealed class SparkplugSession : IHostedService, IAsyncDisposable
{
    private static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(50);

    private readonly SparkplugSettings _settings;
    private readonly MqttOptions _mqtt;
    private readonly BrokerEndpoint _endpoint;
    private readonly LineDefinition _line;
    private IInboundMessageHandler? _commands;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IMqttClient _client;
    private readonly MqttCredentials? _credentials;
    private readonly MqttClientTlsOptions? _tls;
    private readonly BdSeqStore _bdSeqs;
    private readonly string _queueTopic;
    private readonly string _stateTopic;
    private readonly object _sendGate = new();
    private readonly Doorbell _wake = new();
    private readonly HashSet<string> _refusals = new(StringComparer.Ordinal);
    private readonly HashSet<string> _topics = new(StringComparer.Ordinal);
    private readonly Func<ReadOnlySpan<byte>, string> _topicOf;
    private readonly SendWindow _window;
    private int _seq = -1;
    private int _sessions;
    private int _bdSeq = -1;
    private bool _live;
    private volatile bool _hostOnline;
    private volatile bool _rebirth;
    private volatile bool _nextServer;
    private int _attempt;
    private CancellationTokenSource? _stopping;
    private Task _loops = Task.CompletedTask;
    private TaskCompletionSource _disconnected = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// A session for <paramref name="line"/>'s machines on the broker of <paramref name="mqtt"/> (endpoint, credentials,
    /// TLS, keep-alive, in-flight window, outbox bounds). <paramref name="commands"/> applies DCMDs (the command router).
    /// </summary>
    public SparkplugSession(SparkplugSettings settings, MqttOptions mqtt, LineDefinition line, IInboundMessageHandler? commands,
        TimeProvider time, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(mqtt);
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(loggers);
        _settings = settings;
        _mqtt = mqtt;
        _endpoint = mqtt.Endpoint;
        _line = line;
        _commands = commands;
        _time = time;
        _logger = loggers.CreateLogger<SparkplugSession>();
        Model = new SparkplugModel(settings.GroupId, settings.EdgeNodeId, line, mqtt.Version);
        _credentials = MqttCredentials.Resolve(mqtt);
        _tls = _endpoint.UseTls ? MqttTlsBuilder.Build(mqtt.Tls, _endpoint.Host) : null;
        _window = new SendWindow(mqtt.MaxInFlight);
        _bdSeqs = new BdSeqStore(settings.BdSeqPath);
        _queueTopic = $"{SparkplugTopics.Namespace}/{settings.GroupId}/{settings.EdgeNodeId}";
        _stateTopic = settings.PrimaryHostId is { } host ? SparkplugTopics.State(host) : string.Empty;
        Outbox = new DurableOutbox(mqtt.Outbox with { Path = settings.OutboxPath }, mqtt.GatewayId, time, loggers.CreateLogger<DurableOutbox>());
        _topicOf = TopicOf;
        _client = new MqttClientFactory().CreateMqttClient();
        _client.DisconnectedAsync += OnDisconnectedAsync;
        _client.ApplicationMessageReceivedAsync += OnMessageAsync;
    }

    /// <summary>
    /// Sets the handler that applies DCMDs (the command router), before start. Not a constructor argument in the host: the
    /// command handlers depend on condition monitoring, which feeds this session, so the router comes in after both exist
    /// (as the JSON publisher's does, <see cref="MqttPublisher.RegisterInbound"/>).
    /// </summary>
    public void RegisterInbound(IInboundMessageHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        Volatile.Write(ref _commands, handler);
    }

    /// <summary>The Sparkplug outbox (depth, drops).</summary>
    public DurableOutbox Outbox { get; }

    /// <summary>True while births are out and data may flow.</summary>
    public bool IsLive => Volatile.Read(ref _live) && _client.IsConnected;

    /// <summary>The bdSeq of the current (or last) connection; -1 before the first.</summary>
    public int BdSeq => Volatile.Read(ref _bdSeq);

    internal SparkplugModel Model { get; }

    internal SparkplugSettings Settings => _settings;

    /// <summary>The one outbox topic every message of the node is queued under (<see cref="SparkplugEnvelope"/>).</summary>
    internal string QueueTopic => _queueTopic;

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _stopping = new CancellationTokenSource();
        var token = _stopping.Token;
        _loops = Task.WhenAll(
            Task.Run(() => ConnectionLoopAsync(token), CancellationToken.None),
            Task.Run(() => SendLoopAsync(token), CancellationToken.None),
            Task.Run(() => SendWindow.FlushAcknowledgedAsync(Outbox, FlushInterval, _time, ex => SparkplugLog.LoopFailed(_logger, ex), token), CancellationToken.None));
        return Task.CompletedTask;
    }

    /// <summary>
    /// Gives in-flight messages a moment for their PUBACK, then disconnects with "disconnect with will message", so the
    /// broker publishes the NDEATH whose bdSeq matches this session's NBIRTH. Unsent messages stay for the next start.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_stopping is null)
        {
            return;
        }

        await _window.DrainAsync(() => IsLive, _time, TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(false);

        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loops.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Expected: the loops end by cancellation.
        }

        await DisconnectWithWillAsync(cancellationToken).ConfigureAwait(false);
        SparkplugLog.Stopped(_logger, BdSeq, Outbox.Count);
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

    /// <summary>
    /// Queues a message made by the engine sink in session <paramref name="session"/> (0: none was live, the payload is
    /// historical already). Durable when it returns; false (logged) when the outbox could not write it.
    /// </summary>
    internal bool Enqueue(SparkplugEntryKind kind, int session, string topic, SparkplugPayload payload) =>
        EnqueueBatch([(kind, topic, payload)], session);

    /// <summary>Several messages of one session in one outbox commit (a snapshot's DDATA for every machine).</summary>
    internal bool EnqueueBatch(IReadOnlyList<(SparkplugEntryKind Kind, string Topic, SparkplugPayload Payload)> messages, int session)
    {
        if (messages.Count == 0)
        {
            return true;
        }

        var batch = new OutgoingMessage[messages.Count];
        for (var i = 0; i < messages.Count; i++)
        {
            // Encoded straight into the stored envelope; no outbox seq: the Sparkplug seq is the session's, given at send.
            var (kind, topic, payload) = messages[i];
            batch[i] = new OutgoingMessage(_queueTopic, MessageKind.Event, retain: false, SparkplugEnvelope.Wrap(kind, session, topic, payload));
        }

        try
        {
            Outbox.EnqueueBatch(batch);
            return true;
        }
        catch (Exception ex) when (ex is Microsoft.Data.Sqlite.SqliteException or IOException)
        {
            SparkplugLog.NotQueued(_logger, Outbox.Path, ex.Message);
            return false;
        }
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
                    continue;
                }

                var hostOnline = _settings.PrimaryHostId is null || _hostOnline;
                if (_nextServer)
                {
                    // One broker is configured, so the "next" server is the same one: a new session on it.
                    _nextServer = false;
                    await DisconnectWithWillAsync(cancellationToken).ConfigureAwait(false);
                    continue;
                }

                if (!Volatile.Read(ref _live) && hostOnline)
                {
                    await GoLiveAsync(_sessions == 0 ? "connected" : "new session", newConnection: true, cancellationToken).ConfigureAwait(false);
                }
                else if (Volatile.Read(ref _live) && !hostOnline)
                {
                    // 3.0: the primary host went offline: end the session (NDEATH) and hold data until it is back.
                    SparkplugLog.HostOffline(_logger, _settings.PrimaryHostId!);
                    await DisconnectWithWillAsync(cancellationToken).ConfigureAwait(false);
                    continue;
                }
                else if (Volatile.Read(ref _live) && _rebirth)
                {
                    _rebirth = false;
                    await GoLiveAsync("rebirth", newConnection: false, cancellationToken).ConfigureAwait(false);
                }

                await _wake.WaitAsync(TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                SparkplugLog.LoopFailed(_logger, ex);
                await Task.Delay(_mqtt.ReconnectMinDelay, _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task ConnectAsync(CancellationToken cancellationToken)
    {
        // Durable before the CONNECT carries it: a restart after a power cut takes the next number, never this one again.
        var bdSeq = _bdSeqs.Next();
        _disconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _hostOnline = false;
        _attempt++;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            var result = await _client.ConnectAsync(ClientOptions(bdSeq), timeout.Token).ConfigureAwait(false);
            if (result.ResultCode != MqttClientConnectResultCode.Success)
            {
                throw new InvalidOperationException($"the broker refused: {result.ResultCode} {result.ReasonString}");
            }
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            var exponent = Math.Min(_attempt - 1, 20);
            var capped = Math.Min(_mqtt.ReconnectMaxDelay.TotalMilliseconds, _mqtt.ReconnectMinDelay.TotalMilliseconds * Math.Pow(2, exponent));
            var delay = TimeSpan.FromMilliseconds((capped / 2) + (Random.Shared.NextDouble() * capped / 2));
            SparkplugLog.ConnectFailed(_logger, _endpoint.Host, _endpoint.Port, ex.Message, (long)delay.TotalMilliseconds);
            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            return;
        }

        _attempt = 0;
        Volatile.Write(ref _bdSeq, bdSeq);
        var subscribe = new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(Model.NodeTopic(SparkplugMessageType.NCmd), MqttQualityOfServiceLevel.AtLeastOnce)
            .WithTopicFilter(Model.DeviceTopic(SparkplugMessageType.DCmd, "+"), MqttQualityOfServiceLevel.AtLeastOnce);
        if (_settings.PrimaryHostId is not null)
        {
            subscribe.WithTopicFilter(_stateTopic, MqttQualityOfServiceLevel.AtLeastOnce);
            SparkplugLog.WaitingForHost(_logger, _settings.PrimaryHostId);
        }

        await _client.SubscribeAsync(subscribe.Build(), cancellationToken).ConfigureAwait(false);
        SparkplugLog.Connected(_logger, _endpoint.Host, _endpoint.Port, _settings.ClientId, Model.Group, Model.Node, bdSeq, Outbox.Count);
    }

    private MqttClientOptions ClientOptions(int bdSeq)
    {
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(_endpoint.Host, _endpoint.Port)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
            .WithClientId(_settings.ClientId)
            // Sparkplug sessions start clean and expire with the connection: the births restate everything.
            .WithCleanStart(true)
            .WithSessionExpiryInterval(0)
            .WithKeepAlivePeriod(_mqtt.KeepAlive)
            .WithTimeout(TimeSpan.FromSeconds(10))
            .WithWillTopic(Model.NodeTopic(SparkplugMessageType.NDeath))
            .WithWillPayload(SparkplugCodec.Encode(Death(bdSeq)))
            .WithWillRetain(false)
            .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);
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

    private SparkplugPayload Death(int bdSeq) => new()
    {
        Timestamp = Now(),
        Metrics = [new SparkplugMetric { Name = SparkplugModel.BdSeq, DataType = SparkplugDataType.Int64, Value = SparkplugValue.Integer(SparkplugDataType.Int64, bdSeq) }],
    };

    /// <summary>
    /// Starts a session: NBIRTH (seq 0) and a DBIRTH per machine from the current values, then the queue (what a past
    /// session or no session made goes out as historical), then a DDEATH for every machine that is Offline now.
    /// </summary>
    private async Task GoLiveAsync(string reason, bool newConnection, CancellationToken cancellationToken)
    {
        var publishes = new List<Task<MqttClientPublishResult>>();
        var dead = new List<SparkplugDevice>();
        int session;
        lock (_sendGate)
        {
            Volatile.Write(ref _live, false);
            var now = Now();
            var births = new List<(string Topic, SparkplugPayload Payload)>();
            lock (Model.Gate)
            {
                session = ++_sessions;
                Model.LiveSession = session;
                var nodeMetrics = new List<SparkplugMetric>
                {
                    new() { Name = SparkplugModel.BdSeq, DataType = SparkplugDataType.Int64, Timestamp = now, Value = SparkplugValue.Integer(SparkplugDataType.Int64, BdSeq) },
                };
                Model.NodeMetrics.Birth(nodeMetrics, now);
                births.Add((Model.NodeTopic(SparkplugMessageType.NBirth), new SparkplugPayload { Timestamp = now, Metrics = nodeMetrics }));
                foreach (var device in Model.Devices)
                {
                    var metrics = new List<SparkplugMetric>();
                    device.Metrics.Birth(metrics, now);
                    births.Add((Model.DeviceTopic(SparkplugMessageType.DBirth, device.Id), new SparkplugPayload { Timestamp = now, Metrics = metrics }));
                    device.LastDataTimestamp = _time.GetTimestamp();
                    if (!device.Online)
                    {
                        dead.Add(device);
                    }
                }
            }

            _seq = -1;
            foreach (var (topic, payload) in births)
            {
                publishes.Add(Publish(topic, SparkplugCodec.WithSeq(SparkplugCodec.Encode(payload), NextSeq())));
            }

            if (newConnection)
            {
                Outbox.BeginReplay();
            }

            Volatile.Write(ref _live, true);
        }

        foreach (var device in dead)
        {
            Enqueue(SparkplugEntryKind.DeviceDeath, session, Model.DeviceTopic(SparkplugMessageType.DDeath, device.Id),
                new SparkplugPayload { Timestamp = Now() });
        }

        Outbox.Changed.Ring();
        await Task.WhenAll(publishes).WaitAsync(TimeSpan.FromSeconds(30), _time, cancellationToken).ConfigureAwait(false);
        SparkplugLog.Births(_logger, reason, BdSeq, Model.Devices.Count, Outbox.Count);
    }

    private byte NextSeq() => (byte)(_seq = (_seq + 1) & 0xFF);

    private Task<MqttClientPublishResult> Publish(string topic, ArraySegment<byte> payload)
    {
        try
        {
            return _client.PublishAsync(new MqttApplicationMessage
            {
                Topic = topic,
                PayloadSegment = payload,
                QualityOfServiceLevel = MqttQualityOfServiceLevel.AtLeastOnce,
                Retain = false,
            }, CancellationToken.None);
        }
        catch (Exception ex)
        {
            return Task.FromException<MqttClientPublishResult>(ex);
        }
    }

    private async Task DisconnectWithWillAsync(CancellationToken cancellationToken)
    {
        lock (_sendGate)
        {
            Volatile.Write(ref _live, false);
        }

        lock (Model.Gate)
        {
            Model.LiveSession = 0;
        }

        if (!_client.IsConnected)
        {
            return;
        }

        try
        {
            await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder()
                .WithReason(MqttClientDisconnectOptionsReason.DisconnectWithWillMessage).Build(), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException)
        {
            // The broker is gone already: it publishes the will itself.
        }
    }

    private async Task SendLoopAsync(CancellationToken cancellationToken)
    {
        var taken = new List<OutboxEntry>(_window.Capacity);
        var sends = new List<(Task<MqttClientPublishResult> Publish, OutboxEntry Entry)>(_window.Capacity);
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
                sends.Clear();
                lock (_sendGate)
                {
                    // Under the gate: seq is assigned in the order the PUBLISHes are handed to the client.
                    if (Volatile.Read(ref _live) && Outbox.TryTakeMany(free, taken, out wait))
                    {
                        foreach (var entry in taken)
                        {
                            var envelope = SparkplugEnvelope.Unwrap(entry.Payload!, _topicOf);
                            if (envelope.Kind != SparkplugEntryKind.Data && envelope.Session != _sessions)
                            {
                                // A device birth or death of an ended session: the new session's births supersede it.
                                Outbox.Acknowledge(entry);
                                continue;
                            }

                            var bytes = envelope.Session != 0 && envelope.Session != _sessions
                                ? SparkplugCodec.WithSeq(Historical(envelope.Payload.Span), NextSeq())
                                : SparkplugEnvelope.WithSeq(entry.Payload!, envelope, NextSeq());
                            _window.Add();
                            sends.Add((Publish(envelope.Topic, bytes), entry));
                        }
                    }
                }

                if (taken.Count == 0)
                {
                    await Outbox.Changed.WaitAsync(wait, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                if (sends.Count > 0)
                {
                    _ = CompleteInOrderAsync([.. sends]);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                SparkplugLog.LoopFailed(_logger, ex);
                await Task.Delay(TimeSpan.FromMilliseconds(200), _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// The topic of a queued message, as one string per topic of the node (there are a few per machine): decoded into a
    /// stack buffer and looked up, so the send path allocates no string per message. Send loop only (under the send gate).
    /// </summary>
    private string TopicOf(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > 512)
        {
            return System.Text.Encoding.UTF8.GetString(utf8);
        }

        Span<char> chars = stackalloc char[utf8.Length];
        var text = chars[..System.Text.Encoding.UTF8.GetChars(utf8, chars)];
        if (_topics.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(text, out var topic))
        {
            return topic;
        }

        topic = text.ToString();
        if (_topics.Count < 10_000)
        {
            _topics.Add(topic);
        }

        return topic;
    }

    /// <summary>Data made in a session that has ended: the host has newer values from the births, so it is history now.</summary>
    private static byte[] Historical(ReadOnlySpan<byte> payload)
    {
        var decoded = SparkplugCodec.Decode(payload);
        return SparkplugCodec.Encode(decoded with { Metrics = decoded.Metrics.Select(m => m with { IsHistorical = true }).ToList() });
    }

    /// <summary>
    /// Acknowledges a batch's messages as their PUBACKs arrive. One awaiter per batch, in publish order (the broker
    /// acknowledges in that order on one connection, so most awaits find their task complete and continue inline): a
    /// continuation and a state machine per batch rather than per message. The PUBACKs that are in are acknowledged and
    /// released together, before waiting for the next: one outbox lock and one window update per run, not per message.
    /// </summary>
    private async Task CompleteInOrderAsync((Task<MqttClientPublishResult> Publish, OutboxEntry Entry)[] sends)
    {
        var acknowledged = new List<OutboxEntry>(sends.Length);
        var answered = 0;
        foreach (var (publish, entry) in sends)
        {
            if (!publish.IsCompleted && answered > 0)
            {
                Answered(acknowledged, answered);
                answered = 0;
            }

            try
            {
                var result = await publish.ConfigureAwait(false);
                if (result.ReasonCode is MqttClientPublishReasonCode.Success or MqttClientPublishReasonCode.NoMatchingSubscribers)
                {
                    acknowledged.Add(entry);
                }
            }
            catch (Exception)
            {
                // Not acknowledged (the connection went away with it in flight, mostly): it stays queued and is replayed
                // (as historical) after the next births. Caught whatever it is, so the rest of the batch is still counted.
            }

            answered++;
        }

        Answered(acknowledged, answered);
    }

    private void Answered(List<OutboxEntry> acknowledged, int answered)
    {
        try
        {
            Outbox.Acknowledge(acknowledged);
        }
        finally
        {
            acknowledged.Clear();
            _window.Release(answered);
        }
    }


    private Task OnDisconnectedAsync(MqttClientDisconnectedEventArgs e)
    {
        bool wasLive;
        lock (_sendGate)
        {
            wasLive = _live;
            Volatile.Write(ref _live, false);
        }

        lock (Model.Gate)
        {
            Model.LiveSession = 0;
        }

        if (wasLive)
        {
            SparkplugLog.Disconnected(_logger, e.Exception?.Message ?? e.Reason.ToString(), Outbox.Count);
        }

        _disconnected.TrySetResult();
        _wake.Ring();
        return Task.CompletedTask;
    }

    private async Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        var topic = e.ApplicationMessage.Topic;
        var bytes = e.ApplicationMessage.Payload.ToArray();
        try
        {
            if (_settings.PrimaryHostId is not null && topic == _stateTopic)
            {
                HostState(topic, bytes);
                return;
            }

            if (!SparkplugTopics.TryParse(topic, out var type, out var group, out var node, out var device)
                || group != Model.Group || node != Model.Node)
            {
                return;
            }

            SparkplugPayload payload;
            try
            {
                payload = SparkplugCodec.Decode(bytes);
            }
            catch (FormatException ex)
            {
                Refuse(topic, ex.Message);
                return;
            }

            if (type == SparkplugMessageType.NCmd)
            {
                NodeCommand(topic, payload);
            }
            else if (type == SparkplugMessageType.DCmd && device is not null)
            {
                await DeviceCommandAsync(topic, device, payload, _stopping?.Token ?? CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Nothing a sender writes may stop the session.
            Refuse(topic, $"{ex.GetType().Name}: {ex.Message}");
        }
    }

    private void HostState(string topic, byte[] bytes)
    {
        bool online;
        try
        {
            using var document = JsonDocument.Parse(bytes);
            if (!document.RootElement.TryGetProperty("online", out var value) || value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                Refuse(topic, "STATE payload has no boolean 'online' (3.0: {\"online\": true, \"timestamp\": ...})");
                return;
            }

            online = value.GetBoolean();
        }
        catch (JsonException ex)
        {
            Refuse(topic, $"STATE payload is not JSON: {ex.Message}");
            return;
        }

        _hostOnline = online;
        _wake.Ring();
    }

    private void NodeCommand(string topic, SparkplugPayload payload)
    {
        foreach (var metric in payload.Metrics)
        {
            var index = metric.Name is { } name ? Model.NodeMetrics.IndexOf(name) : metric.Alias is { } alias ? Model.NodeMetrics.IndexOfAlias(alias) : -1;
            var definition = index >= 0 ? Model.NodeMetrics.Definitions[index] : null;
            if (definition is null || definition.Name is not (SparkplugModel.Rebirth or SparkplugModel.NextServer))
            {
                Refuse(topic, $"unknown metric '{metric.Name ?? metric.Alias?.ToString(System.Globalization.CultureInfo.InvariantCulture)}'; NCMD takes {SparkplugModel.Rebirth} and {SparkplugModel.NextServer}");
                continue;
            }

            if ((metric.DataType is not (SparkplugDataType.Unknown or SparkplugDataType.Boolean)) || metric.Value.Case != SparkplugValueCase.Boolean)
            {
                Refuse(topic, $"metric '{definition.Name}' must be a Boolean, found {metric.DataType} ({metric.Value.Case} value)");
                continue;
            }

            if (metric.Value.Bits == 0)
            {
                continue;
            }

            SparkplugLog.NodeCommand(_logger, definition.Name);
            if (definition.Name == SparkplugModel.Rebirth)
            {
                _rebirth = true;
            }
            else
            {
                _nextServer = true;
            }

            _wake.Ring();
        }
    }

    private async Task DeviceCommandAsync(string topic, string deviceId, SparkplugPayload payload, CancellationToken cancellationToken)
    {
        if (Model.Device(deviceId) is not { } device)
        {
            Refuse(topic, $"unknown device '{deviceId}'");
            return;
        }

        var mapped = SparkplugCommands.TryMap(payload, device.Metrics, out var error);
        string reply;
        if (mapped is not { } command)
        {
            Refuse(topic, error!);
            reply = ReplyJson(deviceId, "unknown", ok: false, error);
        }
        else if (Volatile.Read(ref _commands) is not { } commands)
        {
            reply = ReplyJson(deviceId, command.Verb, ok: false, "this gateway applies no commands");
        }
        else
        {
            var jsonTopic = MqttTopics.Machine(_line.Site, _line.Area, _line.Line, deviceId).Command(command.Verb);
            var answer = await commands.HandleAsync(jsonTopic, command.Json, sender: null, cancellationToken).ConfigureAwait(false);
            reply = answer is null ? ReplyJson(deviceId, command.Verb, ok: false, "not a command") : System.Text.Encoding.UTF8.GetString(answer.RenderPayload(0));
        }

        // Answered on the device's own metric, at once (report by exception does not hold a reply back).
        var metrics = new List<SparkplugMetric>();
        int session;
        lock (Model.Gate)
        {
            var index = device.Metrics.IndexOf(SparkplugCommands.Reply);
            device.Metrics.Set(index, SparkplugValue.String(reply), false, Now());
            device.Metrics.MarkChanged(index, Now());
            device.Metrics.TakeChanges(metrics, historical: Model.LiveSession == 0);
            session = Model.LiveSession;
        }

        Enqueue(SparkplugEntryKind.Data, session, Model.DeviceTopic(SparkplugMessageType.DData, deviceId), new SparkplugPayload { Timestamp = Now(), Metrics = metrics });
    }

    private string ReplyJson(string machine, string verb, bool ok, string? error) =>
        JsonSerializer.Serialize(new CommandReplyPayload { Ts = _time.GetUtcNow(), Machine = machine, Verb = verb, Ok = ok, Error = error },
            PayloadJsonContext.Default.CommandReplyPayload);

    private void Refuse(string topic, string cause)
    {
        bool first;
        lock (_refusals)
        {
            // Once per cause at warning level: a sender repeating a bad command must not flood the journal.
            first = _refusals.Count < 1000 && _refusals.Add(cause);
        }

        if (first)
        {
            SparkplugLog.Refused(_logger, topic, cause);
        }
        else
        {
            SparkplugLog.RefusedAgain(_logger, topic, cause);
        }
    }

    private ulong Now() => (ulong)_time.GetUtcNow().ToUnixTimeMilliseconds();
}
