using EdgeOps.Contract;
using System.Net;
using EdgeOps.Publishing.Mqtt.Broker;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MQTTnet.Packets;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace EdgeOps.Publishing.Mqtt;

/// <summary>
/// The zero-setup default: an in-process MQTTnet broker on 127.0.0.1 (by default), persistent sessions on, so
/// <c>dotnet run</c> publishes somewhere real, with access control (<see cref="BrokerAccessPolicy"/>): users from
/// <c>EdgeOps:Mqtt:EmbeddedBroker:Users</c>, anonymous read-only from loopback, commands only from the <c>commands</c>
/// role, the gateway's tree and client id its own. Set <c>EdgeOps:Mqtt:Broker</c> to an <c>mqtt://</c> URI to use a real
/// broker instead; then this is not started.
/// </summary>
public sealed class EmbeddedBroker : IHostedService, IAsyncDisposable
{
    /// <summary>
    /// MQTT 5 user property the broker puts on every command it forwards: the authenticated user who published it. Any
    /// property of that name the sender set is removed first, so it cannot be forged through this broker.
    /// </summary>
    public const string SenderProperty = "edgeops-sender";

    private readonly int _port;
    private readonly IPAddress _address;
    private readonly EmbeddedBrokerOptions _options;
    private readonly ILogger _logger;
    private MqttServer? _server;
    private int _refusalsLogged;

    /// <summary>A broker for <see cref="EmbeddedBrokerOptions.BindAddress"/>:<paramref name="port"/>; the options are validated here.</summary>
    public EmbeddedBroker(int port, EmbeddedBrokerOptions options, string gatewayClientId, ILogger<EmbeddedBroker> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _port = port;
        _options = options;
        Policy = new BrokerAccessPolicy(options, gatewayClientId);
        _address = IPAddress.Parse(options.BindAddress);
        _logger = logger;
    }

    /// <summary>The access rules, and the login of the gateway's own publisher (<see cref="BrokerAccessPolicy.GatewayCredentials"/>).</summary>
    public BrokerAccessPolicy Policy { get; }

    /// <summary>True once listening.</summary>
    public bool IsStarted => _server?.IsStarted == true;

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var options = new MqttServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(_address)
            .WithDefaultEndpointBoundIPV6Address(IPAddress.None)
            .WithDefaultEndpointPort(_port)
            .WithPersistentSessions(true)
            .Build();
        var factory = new MqttServerFactory();
        var adapters = factory.DefaultServerAdapters.Select(create => (IMqttServerAdapter)new ClientIdAssigningAdapter(create(factory)));
        _server = factory.CreateMqttServer(options, adapters.ToList());
        _server.ValidatingConnectionAsync += ValidateConnection;
        _server.InterceptingPublishAsync += InterceptPublish;
        try
        {
            await _server.StartAsync().ConfigureAwait(false);
        }
        catch (System.Net.Sockets.SocketException ex)
        {
            throw new InvalidOperationException(
                $"The embedded MQTT broker could not listen on {_address}:{_port} ({ex.Message}). Another broker (a system Mosquitto?) " +
                "may hold the port: set EdgeOps:Mqtt:Broker=mqtt://127.0.0.1:1883 to use it, or EdgeOps:Mqtt:EmbeddedPort to another port.", ex);
        }

        MqttLog.BrokerStarted(_logger, _address.ToString(), _port);
        MqttLog.BrokerAccess(_logger, _options.Users.Count,
            _options.Users.Count(u => u.Value.Roles.Contains(BrokerAccessPolicy.CommandsRole, StringComparer.Ordinal)), _options.Anonymous.ToString());
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is { IsStarted: true })
        {
            await _server.StopAsync(new MqttServerStopOptions()).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _server?.Dispose();
    }

    private Task ValidateConnection(ValidatingConnectionEventArgs e)
    {
        // MQTT 5 clients without an id (MQTT Explorer with clean start) get one through the CONNACK; 3.1.1 clients got
        // theirs from ClientIdAssigningAdapter before this event.
        var clientId = e.ClientId;
        if (string.IsNullOrEmpty(clientId))
        {
            e.AssignedClientIdentifier = ClientIdAssigningAdapter.NewId();
            clientId = e.AssignedClientIdentifier;
        }

        var remote = (e.RemoteEndPoint as IPEndPoint)?.Address;
        var identity = Policy.Authenticate(clientId, e.UserName, e.RawPassword ?? [], remote, out var refusal, out var kind);
        if (identity is null)
        {
            e.ReasonCode = kind switch
            {
                BrokerRefusal.BadCredentials => MqttConnectReasonCode.BadUserNameOrPassword,
                BrokerRefusal.ReservedClientId => MqttConnectReasonCode.ClientIdentifierNotValid,
                _ => MqttConnectReasonCode.NotAuthorized,
            };
            e.ReasonString = refusal;
            if (Interlocked.Increment(ref _refusalsLogged) <= 100)
            {
                MqttLog.BrokerRefusedConnection(_logger, clientId, e.UserName, remote?.ToString(), refusal!);
            }
        }

        return Task.CompletedTask;
    }

    private Task InterceptPublish(InterceptingPublishEventArgs e)
    {
        var message = e.ApplicationMessage;
        var identity = Policy.IdentityOf(e.ClientId, e.UserName);
        if (!BrokerAccessPolicy.MayPublish(identity, message.Topic, out var refusal))
        {
            e.ProcessPublish = false;
            e.Response.ReasonCode = MqttPubAckReasonCode.NotAuthorized;
            e.Response.ReasonString = refusal;
            if (Interlocked.Increment(ref _refusalsLogged) <= 100)
            {
                MqttLog.BrokerRefusedPublish(_logger, e.ClientId, identity.User, message.Topic, refusal!);
            }

            return Task.CompletedTask;
        }

        if (MqttTopics.ParseCommand(message.Topic) is not null)
        {
            var properties = message.UserProperties?.Where(p => p.Name != SenderProperty).ToList() ?? [];
            properties.Add(new MqttUserProperty(SenderProperty, System.Text.Encoding.UTF8.GetBytes(identity.User)));
            message.UserProperties = properties;
        }

        return Task.CompletedTask;
    }
}
