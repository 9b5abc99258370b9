using System.CommandLine;
using System.Buffers;
using System.Text;
using EdgeOps.Publishing.Mqtt;
using MQTTnet;
using MQTTnet.Protocol;

namespace EdgeOps.Gateway.Cli;

/// <summary>
/// <c>edgeops mqtt tail [filter]</c>: prints every message under the filter (default <c>edgeops/v1/#</c>), retained ones
/// marked, for commissioning; Sparkplug B payloads (<c>spBv1.0/...</c>) decoded to JSON. Connects with a throwaway client id and a clean session; Ctrl+C ends it.
/// </summary>
internal sealed class MqttTailCommand : CliCommand
{
    private readonly Argument<string> _filter = new("filter") { Description = "topic filter (default edgeops/v1/#; e.g. spBv1.0/# for Sparkplug B, decoded to JSON)", Arity = ArgumentArity.ZeroOrOne };

    private readonly CliOptions _options = MqttCliArguments.BrokerOptions("the embedded broker")
        .Text("count", "n", "stop after n messages, retained ones included");

    public override IReadOnlyList<string> Path { get; } = ["mqtt", "tail"];

    public override string Description => "print live messages, retained ones marked, until Ctrl+C or --count";

    protected override void Define(Command command)
    {
        command.Add(_filter);
        _options.AddTo(command);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parsed, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        MqttCliArguments args;
        BrokerEndpoint endpoint;
        try
        {
            args = MqttCliArguments.From(_options.Read(parsed), parsed.GetValue(_filter) is { } given ? [given] : []);
            endpoint = BrokerEndpoint.Parse(args.Get("broker", "embedded"), 1883);
        }
        catch (ArgumentException ex)
        {
            await error.WriteLineAsync($"edgeops mqtt tail: {ex.Message}").ConfigureAwait(false);
            return 2;
        }

        var filter = args.Positional.Count > 0 ? args.Positional[0] : EdgeOps.Contract.MqttTopics.All;
        var limit = (long)args.Number("count", 0);
        var clientOptions = args.ClientOptions(endpoint, "edgeops-tail-");
        using var client = new MqttClientFactory().CreateMqttClient();
        long received = 0;
        using var done = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var gate = new object();
        client.ApplicationMessageReceivedAsync += e =>
        {
            var message = e.ApplicationMessage;
            // Sparkplug B payloads are protobuf: shown decoded, as JSON.
            var text = EdgeOps.Contract.Sparkplug.SparkplugJson.IsProtobufTopic(message.Topic)
                ? EdgeOps.Contract.Sparkplug.SparkplugJson.Render(message.Payload.ToArray())
                : Encoding.UTF8.GetString(message.Payload.ToArray());
            var reached = false;
            lock (gate)
            {
                // Retained messages count like live ones. The broker sends all retained messages of the filter in one
                // burst after the SUBACK, so the rest of the burst still arrives after the limit: it is not printed.
                if (limit > 0 && received >= limit)
                {
                    return Task.CompletedTask;
                }

                received++;
                output.WriteLine($"{message.Topic}{(message.Retain ? " (retained)" : string.Empty)} {text}");
                output.Flush();
                reached = limit > 0 && received >= limit;
            }

            if (reached)
            {
                // Not awaited: the rest of RunAsync (the disconnect) must not run inside the client's receive callback.
                _ = done.CancelAsync();
            }

            return Task.CompletedTask;
        };

        try
        {
            var result = await client.ConnectAsync(clientOptions, cancellationToken).ConfigureAwait(false);
            if (result.ResultCode != MqttClientConnectResultCode.Success)
            {
                await error.WriteLineAsync($"edgeops mqtt tail: {endpoint.Host}:{endpoint.Port} refused the connection: {result.ResultCode}").ConfigureAwait(false);
                return 1;
            }

            await client.SubscribeAsync(filter, MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken).ConfigureAwait(false);
            await error.WriteLineAsync($"edgeops mqtt tail: {endpoint.Host}:{endpoint.Port} {filter} (Ctrl+C to stop)").ConfigureAwait(false);
            await Task.Delay(Timeout.Infinite, done.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (done.IsCancellationRequested)
        {
            // Ctrl+C or --count reached.
        }
        catch (Exception ex) when (ex is MQTTnet.Exceptions.MqttCommunicationException or InvalidOperationException)
        {
            await error.WriteLineAsync($"edgeops mqtt tail: cannot reach {endpoint.Host}:{endpoint.Port}: {ex.Message}").ConfigureAwait(false);
            return 1;
        }

        if (client.IsConnected)
        {
            await client.DisconnectAsync(new MqttClientDisconnectOptions(), CancellationToken.None).ConfigureAwait(false);
        }

        return 0;
    }
}
