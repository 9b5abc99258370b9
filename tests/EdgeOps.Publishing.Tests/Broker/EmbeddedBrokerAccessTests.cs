using System.Text;
using EdgeOps.Contract;
using EdgeOps.Publishing.Mqtt;
using EdgeOps.Publishing.Mqtt.Broker;
using EdgeOps.Publishing.Mqtt.Commands;
using EdgeOps.Publishing.Tests.Support;
using EdgeOps.TestSupport.Mqtt;
using EdgeOps.TestSupport.Processes;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Packets;
using MQTTnet.Protocol;

namespace EdgeOps.Publishing.Tests.Broker;

/// <summary>
/// The embedded broker with access control, the gateway's publisher on it, and real clients (MQTTnet and the
/// mosquitto_sub binary): who may connect, who may publish what, and that a command's reply names the authenticated user.
/// </summary>
[Collection("publisher")]
public sealed class EmbeddedBrokerAccessTests : IAsyncLifetime
{
    private const string GatewayId = "gw-access";
    private const string MesPassword = "mes-secret-1";
    private const string ViewerPassword = "viewer-secret-1";
    private readonly CapturingLoggerFactory _logs = new();
    private readonly RecordingHandler _handler = new();
    private readonly MachineTopics _m = Samples.Machine();
    private readonly int _port = FreePort.Next();
    private readonly string _outbox = Directory.CreateTempSubdirectory("edgeops-embedded-").FullName;
    private EmbeddedBroker _broker = null!;
    private MqttPublisher _publisher = null!;

    public async Task InitializeAsync()
    {
        var options = new MqttOptions
        {
            Broker = "embedded",
            EmbeddedPort = _port,
            Site = "plant1",
            GatewayId = GatewayId,
            ReconnectMinDelay = TimeSpan.FromMilliseconds(200),
            ReconnectMaxDelay = TimeSpan.FromSeconds(2),
            CommandFilters = [MqttTopics.CommandFilter("plant1", "packaging", "line1")],
            Outbox = new Outbox.OutboxOptions { Path = Path.Combine(_outbox, "outbox.db"), ReplayRatePerSecond = 0 },
            EmbeddedBroker = new EmbeddedBrokerOptions
            {
                Users = new(StringComparer.Ordinal)
                {
                    ["mes"] = new() { PasswordHash = BrokerPasswordHash.Create(MesPassword, BrokerPasswordHash.MinIterations), Roles = [BrokerAccessPolicy.CommandsRole] },
                    ["viewer"] = new() { PasswordHash = BrokerPasswordHash.Create(ViewerPassword, BrokerPasswordHash.MinIterations) },
                },
            },
        };
        _broker = new EmbeddedBroker(_port, options.EmbeddedBroker, GatewayId, new Logger<EmbeddedBroker>(_logs));
        await _broker.StartAsync(CancellationToken.None);
        var router = new CommandRouter([_handler], TimeProvider.System, _logs.CreateLogger<CommandRouter>());
        _publisher = new MqttPublisher(options, TimeProvider.System, _logs, _broker.Policy.GatewayCredentials);
        _publisher.RegisterInbound(router);
        await _publisher.StartAsync(CancellationToken.None);
        await Gateways.WaitUntilAsync(() => _publisher.IsConnected, TimeSpan.FromSeconds(15), () => _logs.All);
    }

    public async Task DisposeAsync()
    {
        await _publisher.DisposeAsync();
        await _broker.DisposeAsync();
        Directory.Delete(_outbox, recursive: true);
    }

    [Fact]
    public async Task Anonymous_ReadsButCannotPublishCommandsOrTheGatewaysTree()
    {
        await using var anonymous = await TestSubscriber.StartAsync("127.0.0.1", _port, "edgeops/#");
        // Reading works: the retained birth of the gateway arrives.
        await anonymous.WaitForAsync(r => r.Topic == _publisher.StatusTopic, TimeSpan.FromSeconds(10), "the gateway's status");

        using var client = await ConnectAsync(null, null);
        var command = await PublishAsync(client, _m.Command(CommandVerb.ResetMaintenance), """{"requestId":"anon-1","item":"lubrication"}""");
        var spoof = await PublishAsync(client, _m.State, """{"schema":"edgeops.state/1","state":"running"}""", retain: true);
        var status = await PublishAsync(client, _publisher.StatusTopic, """{"state":"offline"}""", retain: true);

        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, command.ReasonCode);
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, spoof.ReasonCode);
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, status.ReasonCode);

        // A command from a user with the role afterwards is answered; the anonymous one never was, nor applied.
        await using var mes = await TestSubscriber.StartAsync("127.0.0.1", _port, _m.Base + "/cmd/+/reply", b => b.WithCredentials("mes", MesPassword));
        await mes.PublishAsync(_m.Command(CommandVerb.ResetMaintenance), """{"requestId":"mes-after","item":"lubrication"}""");
        await mes.WaitForAsync(r => r.Json.GetProperty("requestId").GetString() == "mes-after", TimeSpan.FromSeconds(10), "the reply to mes");
        Assert.DoesNotContain(mes.Received, r => r.Text.Contains("anon-1", StringComparison.Ordinal));
        Assert.DoesNotContain(_handler.Received, c => c.RequestId == "anon-1");
        Assert.DoesNotContain(anonymous.Received, r => r.Topic == _m.State);
    }

    [Fact]
    public async Task CommandsRoleUser_CommandIsApplied_AndTheReplyNamesTheAuthenticatedUserNotTheClaimedOne()
    {
        await using var mes = await TestSubscriber.StartAsync("127.0.0.1", _port, _m.Base + "/cmd/+/reply", b => b.WithCredentials("mes", MesPassword));
        using var client = await ConnectAsync("mes", MesPassword);

        // The sender claims to be someone else, in the payload and in a forged sender property: neither is believed.
        var result = await PublishAsync(client, _m.Command(CommandVerb.AssignReason),
            """{"requestId":"mes-1","reasonCode":"jam","operator":"badge-17"}""",
            properties: [new MqttUserProperty(EmbeddedBroker.SenderProperty, Encoding.UTF8.GetBytes("admin"))]);

        Assert.Equal(MqttClientPublishReasonCode.Success, result.ReasonCode);
        var reply = (await mes.WaitForAsync(r => r.Json.GetProperty("requestId").GetString() == "mes-1", TimeSpan.FromSeconds(10), "reply mes-1")).Json;
        Assert.True(reply.GetProperty("ok").GetBoolean(), reply.ToString());
        Assert.Equal("mes", reply.GetProperty("user").GetString());
        Assert.Equal("badge-17", reply.GetProperty("operator").GetString());
        var applied = Assert.Single(_handler.Received, c => c.RequestId == "mes-1");
        Assert.Equal("mes", applied.User);
        Assert.Equal("mes (badge-17)", applied.RecordedBy);
    }

    [Fact]
    public async Task UserWithoutTheCommandsRole_CannotCommand_AndAWrongPasswordIsRefused()
    {
        using var viewer = await ConnectAsync("viewer", ViewerPassword);
        var result = await PublishAsync(viewer, _m.Command(CommandVerb.PlannedStop), """{"requestId":"v-1","active":true}""");
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, result.ReasonCode);
        Assert.Contains("needs the 'commands' role", result.ReasonString, StringComparison.Ordinal);
        // Outside the EdgeOps namespaces an authenticated user may publish (an HMI's own topics).
        Assert.Equal(MqttClientPublishReasonCode.NoMatchingSubscribers, (await PublishAsync(viewer, "hmi/panel-3/heartbeat", "1")).ReasonCode);

        var refused = await ConnectResultAsync(Options("mes", "wrong").Build());
        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, refused.ResultCode);
        Assert.DoesNotContain(_handler.Received, c => c.RequestId == "v-1");
        Assert.DoesNotContain("wrong", _logs.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SecondClientWithTheGatewaysId_IsRefused_AndTheGatewayStaysConnected()
    {
        var asAnonymous = await ConnectResultAsync(Options(null, null, GatewayId).Build());
        var asUser = await ConnectResultAsync(Options("mes", MesPassword, GatewayId).Build());
        var withGuessedLogin = await ConnectResultAsync(Options("$gateway", "guess", GatewayId).Build());

        Assert.Equal(MqttClientConnectResultCode.ClientIdentifierNotValid, asAnonymous.ResultCode);
        Assert.Equal(MqttClientConnectResultCode.ClientIdentifierNotValid, asUser.ResultCode);
        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, withGuessedLogin.ResultCode);

        // The session was not taken over: a command still reaches the gateway and is answered on the same connection.
        await using var mes = await TestSubscriber.StartAsync("127.0.0.1", _port, _m.Base + "/cmd/+/reply", b => b.WithCredentials("mes", MesPassword));
        await mes.PublishAsync(_m.Command(CommandVerb.PlannedStop), """{"requestId":"after-takeover","active":true}""");
        await mes.WaitForAsync(r => r.Json.GetProperty("requestId").GetString() == "after-takeover", TimeSpan.FromSeconds(10), "reply");
        Assert.True(_publisher.IsConnected);
        Assert.DoesNotContain("MQTT connection lost", _logs.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MosquittoSub_Mqtt311WithoutClientId_ReceivesFromTheEmbeddedBroker()
    {
        var tool = ManagedProcess.Require("mosquitto_sub", "Install it with: apt-get install mosquitto-clients (./test.sh does).");
        // What an engineer types first: MQTT 3.1.1 (the default), no -i, so the client id is empty.
        using var sub = ManagedProcess.Start(tool, ["-h", "127.0.0.1", "-p", _port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-V", "mqttv311", "-t", "#", "-v", "-C", "1", "-W", "30"]);
        await sub.WaitForExitAsync(TimeSpan.FromSeconds(40));

        Assert.True(sub.ExitCode == 0, $"mosquitto_sub exited {sub.ExitCode}:\n{sub.Output}");
        Assert.Contains(_publisher.StatusTopic, sub.Output, StringComparison.Ordinal);
        Assert.Contains("\"state\":\"online\"", sub.Output, StringComparison.Ordinal);
    }

    private MqttClientOptionsBuilder Options(string? user, string? password, string? clientId = null)
    {
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", _port)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId(clientId ?? "test-" + Guid.NewGuid().ToString("N")[..8])
            .WithCleanStart(true)
            .WithTimeout(TimeSpan.FromSeconds(10));
        if (user is not null)
        {
            builder.WithCredentials(user, password);
        }

        return builder;
    }

    private async Task<IMqttClient> ConnectAsync(string? user, string? password)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var result = await client.ConnectAsync(Options(user, password).Build());
        Assert.Equal(MqttClientConnectResultCode.Success, result.ResultCode);
        return client;
    }

    private static async Task<MqttClientConnectResult> ConnectResultAsync(MqttClientOptions options)
    {
        // A refused CONNECT is a result, not an exception, in MQTTnet 5.
        using var client = new MqttClientFactory().CreateMqttClient();
        return await client.ConnectAsync(options);
    }

    private static Task<MqttClientPublishResult> PublishAsync(IMqttClient client, string topic, string payload, bool retain = false,
        List<MqttUserProperty>? properties = null)
    {
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithRetainFlag(retain)
            .Build();
        message.UserProperties = properties;
        return client.PublishAsync(message);
    }

    private sealed class RecordingHandler : ICommandHandler
    {
        private readonly List<MachineCommand> _received = [];

        public IReadOnlyList<MachineCommand> Received
        {
            get
            {
                lock (_received)
                {
                    return [.. _received];
                }
            }
        }

        public IReadOnlyCollection<string> Verbs { get; } = [CommandVerb.AssignReason, CommandVerb.PlannedStop, CommandVerb.ResetMaintenance];

        public ValueTask<CommandResult> HandleAsync(MachineCommand command, CancellationToken cancellationToken)
        {
            lock (_received)
            {
                _received.Add(command);
            }

            return ValueTask.FromResult(CommandResult.Applied);
        }
    }
}
