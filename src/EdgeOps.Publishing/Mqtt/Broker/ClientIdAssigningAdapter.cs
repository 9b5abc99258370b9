using System.Net;
using System.Security.Cryptography.X509Certificates;
using MQTTnet.Adapter;
using MQTTnet.Diagnostics.Logger;
using MQTTnet.Formatter;
using MQTTnet.Packets;
using MQTTnet.Server;

namespace EdgeOps.Publishing.Mqtt.Broker;

/// <summary>
/// Gives MQTT 3.1.1 clients that connect with an empty client id and a clean session one of their own, as the spec
/// allows (MQTT-3.1.3-6). MQTTnet assigns ids to MQTT 5 clients only and refuses the rest with "identifier rejected",
/// which is what <c>mosquitto_sub -t '#'</c> (3.1.1, no <c>-i</c>) ran into. The CONNECT is rewritten here because the
/// connection-validating event cannot change a 3.1.1 client's id.
/// </summary>
internal sealed class ClientIdAssigningAdapter(IMqttServerAdapter inner) : IMqttServerAdapter
{
    /// <summary>Prefix of assigned ids (the MQTT 5 path uses it too), so they are recognisable in logs.</summary>
    public const string Prefix = "auto-";

    public Func<IMqttChannelAdapter, Task>? ClientHandler
    {
        get => inner.ClientHandler;
        set => inner.ClientHandler = value is null ? null : channel => value(new Channel(channel));
    }

    public static string NewId() => Prefix + Guid.NewGuid().ToString("N")[..16];

    public Task StartAsync(MqttServerOptions options, IMqttNetLogger logger) => inner.StartAsync(options, logger);

    public Task StopAsync() => inner.StopAsync();

    public void Dispose() => inner.Dispose();

    private sealed class Channel(IMqttChannelAdapter inner) : IMqttChannelAdapter
    {
        private bool _connectSeen;

        public long BytesReceived => inner.BytesReceived;

        public long BytesSent => inner.BytesSent;

        public X509Certificate2 ClientCertificate => inner.ClientCertificate;

        public EndPoint RemoteEndPoint => inner.RemoteEndPoint;

        public EndPoint LocalEndPoint => inner.LocalEndPoint;

        public bool IsSecureConnection => inner.IsSecureConnection;

        public MqttPacketFormatterAdapter PacketFormatterAdapter => inner.PacketFormatterAdapter;

        public Task ConnectAsync(CancellationToken cancellationToken) => inner.ConnectAsync(cancellationToken);

        public Task DisconnectAsync(CancellationToken cancellationToken) => inner.DisconnectAsync(cancellationToken);

        public async Task<MqttPacket> ReceivePacketAsync(CancellationToken cancellationToken)
        {
            var packet = await inner.ReceivePacketAsync(cancellationToken).ConfigureAwait(false);
            if (!_connectSeen && packet is MqttConnectPacket connect)
            {
                _connectSeen = true;
                // 3.1.1 allows it with a clean session only (MQTT-3.1.3-8: otherwise "identifier rejected", which stays).
                if (string.IsNullOrEmpty(connect.ClientId) && connect.CleanSession
                    && inner.PacketFormatterAdapter.ProtocolVersion is MqttProtocolVersion.V311 or MqttProtocolVersion.V310)
                {
                    connect.ClientId = NewId();
                }
            }

            return packet;
        }

        public void ResetStatistics() => inner.ResetStatistics();

        public Task SendPacketAsync(MqttPacket packet, CancellationToken cancellationToken) => inner.SendPacketAsync(packet, cancellationToken);

        public void Dispose() => inner.Dispose();
    }
}
