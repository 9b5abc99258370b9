using System.Text;
using EdgeOps.TestSupport;
using EdgeOps.TestSupport.Mosquitto;
using EdgeOps.TestSupport.Mqtt;
using EdgeOps.TestSupport.Processes;
using MQTTnet;
using MQTTnet.Protocol;

namespace EdgeOps.Gateway.Tests.Deploy;

/// <summary>
/// The central broker's shipped config and ACL (deploy/central/mosquitto) on a real Mosquitto, only paths and ports
/// rewritten, with accounts for two gateways (line-1, line-2), the historian and an MES with the commands role.
/// Denied publishes are shown absent by a marker published after them on an allowed topic: Mosquitto delivers one
/// publisher's messages to a subscriber in order, so once the marker is in, a denied message would have been too.
/// </summary>
public sealed class CentralBrokerAclTests : IAsyncLifetime
{
    private const string Tree1 = "edgeops/v1/plant/body/line-1";
    private const string Tree2 = "edgeops/v1/plant/body/line-2";
    private static readonly Dictionary<string, string> Users = new(StringComparer.Ordinal)
    {
        ["line-1"] = "gw1-secret",
        ["line-2"] = "gw2-secret",
        ["historian"] = "hist-secret",
        ["mes"] = "mes-secret",
    };

    private TestCertificates _certificates = null!;
    private MosquittoBroker _broker = null!;
    private int _tlsPort;

    public async Task InitializeAsync()
    {
        _certificates = await TestCertificates.CreateAsync();
        _broker = await MosquittoBroker.StartWithConfigAsync(async (directory, port) =>
        {
            _tlsPort = FreePort.Next();
            var shipped = await File.ReadAllTextAsync(RepoPaths.File("deploy", "central", "mosquitto", "mosquitto.conf"));
            var config = shipped
                .Replace("listener 1883", $"listener {port} 127.0.0.1", StringComparison.Ordinal)
                .Replace("listener 8883", $"listener {_tlsPort} 127.0.0.1", StringComparison.Ordinal)
                .Replace("/mosquitto/config/certs/ca.crt", _certificates.CaCertificate, StringComparison.Ordinal)
                .Replace("/mosquitto/config/certs/server.crt", _certificates.ServerCertificate, StringComparison.Ordinal)
                .Replace("/mosquitto/config/certs/server.key", _certificates.ServerKey, StringComparison.Ordinal)
                .Replace("/mosquitto/config/passwd", Path.Combine(directory, "passwd"), StringComparison.Ordinal)
                .Replace("/mosquitto/config/acl", Path.Combine(directory, "acl"), StringComparison.Ordinal)
                .Replace("/mosquitto/data/", directory + "/", StringComparison.Ordinal);
            // A path or port added to the shipped config that this test does not rewrite must fail here, not pass untested.
            var settings = string.Join('\n', config.Split('\n').Where(l => !l.TrimStart().StartsWith('#')));
            Assert.DoesNotContain("/mosquitto/", settings, StringComparison.Ordinal);
            Assert.DoesNotContain("listener 1883", settings, StringComparison.Ordinal);
            Assert.DoesNotContain("listener 8883", settings, StringComparison.Ordinal);
            File.Copy(RepoPaths.File("deploy", "central", "mosquitto", "acl"), Path.Combine(directory, "acl"));
            await MosquittoBroker.WritePasswordFileAsync(Path.Combine(directory, "passwd"), Users);
            var path = Path.Combine(directory, "mosquitto.conf");
            await File.WriteAllTextAsync(path, config + "\nuser root\nlog_dest stderr\nlog_type all\n");
            return path;
        });
    }

    public async Task DisposeAsync()
    {
        await _broker.DisposeAsync();
        Directory.Delete(_certificates.Directory, recursive: true);
    }

    [Fact]
    public async Task GatewayWritesOnlyItsLine_HistorianOnlyReads_MesCommands_AndGatewaysReadOnlyTheirOwnCommands()
    {
        await using var historian = await SubscribeAsync("historian", "edgeops/v1/#");
        await using var line1Commands = await SubscribeAsync("line-1", Tree1 + "/+/cmd/+");
        await using var line1Snooping = await SubscribeAsync("line-1", Tree2 + "/+/cmd/+");
        // line-1 writes its tree and its status, not line-2's.
        await PublishAsync("line-1", Tree1 + "/press/state", "own-state");
        await PublishAsync("line-1", "edgeops/v1/plant/_gateways/line-1/status", "own-status");
        await PublishAsync("line-1", Tree2 + "/press/state", "spoofed-state");
        await PublishAsync("line-1", "edgeops/v1/plant/_gateways/line-2/status", "spoofed-status");
        // Past message_size_limit Mosquitto drops the message.
        await PublishAsync("line-1", Tree1 + "/press/events", new string('x', 1_200_000));
        // The historian and the MES write no data.
        await PublishAsync("historian", Tree1 + "/press/kpi", "historian-wrote");
        await PublishAsync("mes", Tree1 + "/press/kpi", "mes-wrote");
        await PublishAsync("line-1", Tree1 + "/press/events", "marker-1");
        await historian.WaitForAsync(r => r.Text == "marker-1", TimeSpan.FromSeconds(10), "line-1's marker");

        Assert.Contains(historian.Received, r => r.Text == "own-state");
        Assert.Contains(historian.Received, r => r.Text == "own-status");
        Assert.DoesNotContain(historian.Received, r => r.Text is "spoofed-state" or "spoofed-status" or "historian-wrote" or "mes-wrote");
        // message_size_limit: the 1.2 MB message never reached anyone.
        Assert.DoesNotContain(historian.Received, r => r.Payload.Length > 1_000_000);

        // Commands: the MES may send them to any line; a gateway may not command another line, nor read its commands.
        await PublishAsync("line-2", Tree1 + "/press/cmd/reset-maintenance", "from-line-2");
        await PublishAsync("mes", Tree2 + "/press/cmd/planned-stop", "mes-to-line-2");
        await PublishAsync("mes", Tree1 + "/press/cmd/reset-maintenance", "mes-to-line-1");
        await line1Commands.WaitForAsync(r => r.Text == "mes-to-line-1", TimeSpan.FromSeconds(10), "the MES command to line-1");
        await historian.WaitForAsync(r => r.Text == "mes-to-line-1", TimeSpan.FromSeconds(10), "the MES command, read by the historian");
        Assert.Contains(historian.Received, r => r.Text == "mes-to-line-2");
        Assert.DoesNotContain(line1Commands.Received, r => r.Text == "from-line-2");
        Assert.DoesNotContain(historian.Received, r => r.Text == "from-line-2");
        Assert.Empty(line1Snooping.Received);
    }

    [Fact]
    public async Task TlsListener_AcceptsAnAccountWithTheCa_AndAWrongPasswordIsRefused()
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        var tls = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", _tlsPort)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
            .WithClientId("mes-tls")
            .WithCredentials("mes", Users["mes"])
            .WithTlsOptions(o => o
                .WithTrustChain([System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile(_certificates.CaCertificate)])
                .WithTargetHost("localhost"))
            .WithTimeout(TimeSpan.FromSeconds(10));
        var accepted = await client.ConnectAsync(tls.Build());
        Assert.Equal(MqttClientConnectResultCode.Success, accepted.ResultCode);
        await client.DisconnectAsync();

        using var wrong = new MqttClientFactory().CreateMqttClient();
        var refused = await wrong.ConnectAsync(Options("mes", "not-the-password").Build());
        Assert.NotEqual(MqttClientConnectResultCode.Success, refused.ResultCode);
    }

    private MqttClientOptionsBuilder Options(string user, string password) => new MqttClientOptionsBuilder()
        .WithTcpServer(_broker.Host, _broker.Port)
        .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
        .WithClientId(user + "-" + Guid.NewGuid().ToString("N")[..6])
        .WithCredentials(user, password)
        .WithTimeout(TimeSpan.FromSeconds(10));

    private async Task<IMqttClient> ConnectAsync(string user)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var result = await client.ConnectAsync(Options(user, Users[user]).Build());
        Assert.True(result.ResultCode == MqttClientConnectResultCode.Success, $"{user}: {result.ResultCode}\n{_broker.Log}");
        return client;
    }

    private Task<TestSubscriber> SubscribeAsync(string user, string filter) =>
        TestSubscriber.StartAsync(_broker.Host, _broker.Port, filter, b => b.WithCredentials(user, Users[user]));

    /// <summary>
    /// Publishes on a connection of its own and returns once the broker has dealt with the message. Mosquitto 2.0.11
    /// answers a denied publish with a PUBACK that MQTTnet 5.2 drops the connection over (3.1.1 and 5 alike), so a
    /// connection lost after the PUBLISH went out counts as handled: Mosquitto decides before it answers.
    /// </summary>
    private async Task PublishAsync(string user, string topic, string payload)
    {
        using var client = await ConnectAsync(user);
        try
        {
            await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(Encoding.UTF8.GetBytes(payload))
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
            await client.DisconnectAsync();
        }
        catch (MQTTnet.Exceptions.MqttCommunicationException)
        {
            // Only after the PUBACK or a drop for size: either way the broker was done with it.
        }
    }
}
