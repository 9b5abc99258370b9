using System.Globalization;
using System.Net.Sockets;
using MQTTnet;
using MQTTnet.Adapter;
using MQTTnet.Exceptions;

namespace EdgeOps.Gateway.Doctor;

/// <summary>
/// Each MQTT broker accepts a TCP connection and an MQTT CONNECT with the configured credentials (clean session,
/// its own client id, so the gateway's persistent session is left alone).
/// </summary>
internal sealed class BrokerCheck : IDoctorCheck
{
    public async Task<IReadOnlyList<DoctorResult>> RunAsync(DoctorSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var results = new List<DoctorResult>();
        foreach (var broker in settings.Brokers)
        {
            results.Add(await CheckAsync(broker, settings.NetworkTimeout, cancellationToken).ConfigureAwait(false));
        }

        return results;
    }

    private static async Task<DoctorResult> CheckAsync(BrokerEndpoint broker, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var subject = string.Create(CultureInfo.InvariantCulture, $"mqtt://{broker.Host}:{broker.Port}");
        if (await TcpProbe.ConnectAsync(broker.Host, broker.Port, timeout, cancellationToken).ConfigureAwait(false) is { } error)
        {
            return new DoctorResult("broker", subject, DoctorStatus.Fail, $"no TCP connection: {error}",
                "start the broker (systemctl status mosquitto) or fix the broker host/port in the config; check firewalls between the line and the broker");
        }

        using var client = new MqttClientFactory().CreateMqttClient();
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(broker.Host, broker.Port)
            .WithClientId("edgeops-doctor-" + Guid.NewGuid().ToString("N")[..8])
            .WithCleanSession()
            .WithTimeout(timeout);
        if (broker.UserName is not null)
        {
            builder = builder.WithCredentials(broker.UserName, broker.Password);
        }

        const string authFix = "check the MQTT user and password (EdgeOps__Mqtt__Username and EdgeOps__Mqtt__Password in /etc/edgeops/edgeops.env, or files of those names in /etc/edgeops/credentials/) and the broker's ACL";
        try
        {
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            cts.CancelAfter(timeout);
            var result = await client.ConnectAsync(builder.Build(), cts.Token).ConfigureAwait(false);
            if (result.ResultCode != MqttClientConnectResultCode.Success)
            {
                return new DoctorResult("broker", subject, DoctorStatus.Fail, $"MQTT CONNECT refused: {result.ResultCode}", authFix);
            }

            await client.DisconnectAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            return DoctorResult.Pass("broker", subject,
                broker.UserName is null ? "MQTT CONNECT accepted (anonymous)" : $"MQTT CONNECT accepted as '{broker.UserName}'");
        }
        catch (MqttConnectingFailedException ex)
        {
            return new DoctorResult("broker", subject, DoctorStatus.Fail, $"MQTT CONNECT refused: {ex.Message}", authFix);
        }
        catch (Exception ex) when (ex is MqttCommunicationException or OperationCanceledException or SocketException)
        {
            return new DoctorResult("broker", subject, DoctorStatus.Fail, $"TCP connects but MQTT CONNECT failed: {ex.Message}",
                "is this port an MQTT listener (TLS-only listeners use 8883)? check the broker's log");
        }
    }
}
