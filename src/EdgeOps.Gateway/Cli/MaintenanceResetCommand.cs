using System.CommandLine;
using System.Buffers;
using System.Text;
using System.Text.Json;
using EdgeOps.Contract;
using EdgeOps.Gateway.Hosting;
using EdgeOps.Publishing.Mqtt;
using MQTTnet;
using MQTTnet.Protocol;

namespace EdgeOps.Gateway.Cli;

/// <summary>
/// <c>edgeops maintenance reset &lt;machine&gt; &lt;item&gt;</c>: records that maintenance was done by sending the
/// <c>reset-maintenance</c> command to the running gateway over MQTT (the gateway owns the counters; this verb never
/// touches its data directory) and prints the gateway's reply. Machine and item are checked against the line file
/// first, so a typo is reported without a round trip. Who = <c>--by</c>, default the OS user.
/// </summary>
internal sealed class MaintenanceResetCommand : CliCommand
{
    private readonly Argument<string> _machine = new("machine") { Description = "machine id in the line file" };

    private readonly Argument<string> _item = new("item") { Description = "maintenance item of the machine, e.g. lubrication" };

    private readonly CliOptions _options = MqttCliArguments.BrokerOptions("the embedded broker")
        .Text("config", "line.yaml", "the line file (default: EdgeOps__Line, else the demo line)")
        .Text("by", "name", "who did it (default: the user name)")
        .Text("timeout", "s", "seconds to wait for the gateway's reply (default 10)");

    public override IReadOnlyList<string> Path { get; } = ["maintenance", "reset"];

    public override string Description => "record maintenance done: sends cmd/reset-maintenance to the gateway and waits for its reply";

    protected override void Define(Command command)
    {
        command.Add(_machine);
        command.Add(_item);
        _options.AddTo(command);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parsed, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        MqttCliArguments args;
        BrokerEndpoint endpoint;
        try
        {
            args = MqttCliArguments.From(_options.Read(parsed), parsed.GetRequiredValue(_machine), parsed.GetRequiredValue(_item));
            endpoint = BrokerEndpoint.Parse(args.Get("broker", "embedded"), 1883);
        }
        catch (ArgumentException ex)
        {
            await error.WriteLineAsync($"edgeops maintenance reset: {ex.Message}").ConfigureAwait(false);
            return 2;
        }

        var (machineId, item) = (args.Positional[0], args.Positional[1]);
        var configPath = args.Get("config") ?? Environment.GetEnvironmentVariable("EdgeOps__Line") ?? new GatewayOptions().Line;
        var (line, errors) = LineFile.Load(configPath);
        if (line is null)
        {
            foreach (var problem in errors)
            {
                await error.WriteLineAsync(problem).ConfigureAwait(false);
            }

            await error.WriteLineAsync($"edgeops maintenance reset: the line file {configPath} is not valid (--config)").ConfigureAwait(false);
            return 2;
        }

        var definition = line.Definition;
        var machine = definition.Machines.FirstOrDefault(m => m.Id == machineId);
        if (machine is null)
        {
            await error.WriteLineAsync(
                $"edgeops maintenance reset: no machine '{machineId}' in {line.Path}; machines: {string.Join(", ", definition.Machines.Select(m => m.Id))}").ConfigureAwait(false);
            return 2;
        }

        if (!machine.Maintenance.Any(i => i.Item == item))
        {
            await error.WriteLineAsync(machine.Maintenance.Count == 0
                ? $"edgeops maintenance reset: machine '{machineId}' has no maintenance items in {line.Path}"
                : $"edgeops maintenance reset: machine '{machineId}' has no maintenance item '{item}'; configured: {string.Join(", ", machine.Maintenance.Select(i => i.Item))}").ConfigureAwait(false);
            return 2;
        }

        var by = args.Get("by") ?? Environment.UserName;
        var timeout = TimeSpan.FromSeconds(args.Number("timeout", 10));
        var topics = MqttTopics.Machine(definition.Site, definition.Area, definition.Line, machineId);
        var requestId = "cli-" + Guid.NewGuid().ToString("N")[..12];
        // ts: if the gateway is away and the command waits in the broker, it is refused as stale rather than applied late.
        var payload = JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["item"] = item,
            ["operator"] = by,
            ["requestId"] = requestId,
            ["ts"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture),
        }, Hosting.GatewayJsonContext.Default.DictionaryStringString);

        var clientOptions = args.ClientOptions(endpoint, "edgeops-cli-");
        using var client = new MqttClientFactory().CreateMqttClient();
        var reply = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.ApplicationMessageReceivedAsync += e =>
        {
            try
            {
                using var document = JsonDocument.Parse(e.ApplicationMessage.Payload.ToArray());
                var root = document.RootElement;
                if (root.TryGetProperty("requestId", out var id) && id.ValueKind == JsonValueKind.String && id.GetString() == requestId)
                {
                    reply.TrySetResult(root.Clone());
                }
            }
            catch (JsonException)
            {
                // Not a reply we understand: someone else's traffic on the topic.
            }

            return Task.CompletedTask;
        };

        try
        {
            var connected = await client.ConnectAsync(clientOptions, cancellationToken).ConfigureAwait(false);
            if (connected.ResultCode != MqttClientConnectResultCode.Success)
            {
                await error.WriteLineAsync($"edgeops maintenance reset: {endpoint.Host}:{endpoint.Port} refused the connection: {connected.ResultCode}").ConfigureAwait(false);
                return 1;
            }

            var replyTopic = topics.Reply(CommandVerb.ResetMaintenance);
            await client.SubscribeAsync(replyTopic, MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken).ConfigureAwait(false);
            await client.PublishStringAsync(topics.Command(CommandVerb.ResetMaintenance), payload, MqttQualityOfServiceLevel.AtLeastOnce,
                cancellationToken: cancellationToken).ConfigureAwait(false);
            JsonElement answer;
            try
            {
                answer = await reply.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                await error.WriteLineAsync(
                    $"edgeops maintenance reset: no reply on {replyTopic} within {timeout.TotalSeconds:0} s; is the gateway running and connected to {endpoint.Host}:{endpoint.Port}? The command stays queued in its session and may still apply.").ConfigureAwait(false);
                return 1;
            }

            if (answer.TryGetProperty("ok", out var ok) && ok.ValueKind == JsonValueKind.True)
            {
                await output.WriteLineAsync($"OK {machineId}/{item}: maintenance recorded by {by}; its usage counter restarts at zero").ConfigureAwait(false);
                return 0;
            }

            var why = answer.TryGetProperty("error", out var message) ? message.GetString() : answer.GetRawText();
            await error.WriteLineAsync($"edgeops maintenance reset: the gateway refused: {why}").ConfigureAwait(false);
            return 1;
        }
        catch (Exception ex) when (ex is MQTTnet.Exceptions.MqttCommunicationException or InvalidOperationException)
        {
            await error.WriteLineAsync($"edgeops maintenance reset: cannot reach {endpoint.Host}:{endpoint.Port}: {ex.Message}").ConfigureAwait(false);
            return 1;
        }
        finally
        {
            if (client.IsConnected)
            {
                await client.DisconnectAsync(new MqttClientDisconnectOptions(), CancellationToken.None).ConfigureAwait(false);
            }
        }
    }
}
