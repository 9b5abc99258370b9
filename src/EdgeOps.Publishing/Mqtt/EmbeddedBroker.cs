using System.Net;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MQTTnet.Server;

namespace EdgeOps.Publishing.Mqtt;

/// <summary>
/// The zero-setup default: an in-process MQTTnet broker on 127.0.0.1 (loopback only), persistent sessions on, so
/// <c>dotnet run</c> publishes somewhere real. Set <c>EdgeOps:Mqtt:Broker</c> to an <c>mqtt://</c> URI to use a
/// real broker instead; then this is not started.
/// </summary>
public sealed class EmbeddedBroker : IHostedService, IAsyncDisposable
{
    private readonly int _port;
    private readonly ILogger _logger;
    private MqttServer? _server;

    /// <summary>A broker for 127.0.0.1:<paramref name="port"/>.</summary>
    public EmbeddedBroker(int port, ILogger<EmbeddedBroker> logger)
    {
        _port = port;
        _logger = logger;
    }

    /// <summary>True once listening.</summary>
    public bool IsStarted => _server?.IsStarted == true;

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var options = new MqttServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(IPAddress.Loopback)
            .WithDefaultEndpointBoundIPV6Address(IPAddress.None)
            .WithDefaultEndpointPort(_port)
            .WithPersistentSessions(true)
            .Build();
        _server = new MqttServerFactory().CreateMqttServer(options);
        // Commissioning tools connect without a client id (mosquitto_sub, MQTT Explorer with clean start): MQTT lets
        // the broker assign one, and MQTTnet only does when asked. Without this, `mosquitto_sub -t 'edgeops/#'`
        // against the zero-setup broker fails with "identifier rejected".
        _server.ValidatingConnectionAsync += e =>
        {
            if (string.IsNullOrEmpty(e.ClientId))
            {
                e.AssignedClientIdentifier = "auto-" + Guid.NewGuid().ToString("N")[..16];
            }

            return Task.CompletedTask;
        };
        try
        {
            await _server.StartAsync().ConfigureAwait(false);
        }
        catch (System.Net.Sockets.SocketException ex)
        {
            throw new InvalidOperationException(
                $"The embedded MQTT broker could not listen on 127.0.0.1:{_port} ({ex.Message}). Another broker (a system Mosquitto?) " +
                "may hold the port: set EdgeOps:Mqtt:Broker=mqtt://127.0.0.1:1883 to use it, or EdgeOps:Mqtt:EmbeddedPort to another port.", ex);
        }

        MqttLog.BrokerStarted(_logger, "127.0.0.1", _port);
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
}
