using System.CommandLine;
using System.Globalization;
using EdgeOps.Contract;
using EdgeOps.Publishing.Mqtt;
using EdgeOps.Contract.Payloads;
using EdgeOps.Publishing.Outbox;
using Microsoft.Extensions.Logging;

namespace EdgeOps.Gateway.Cli;

/// <summary>
/// <c>edgeops mqtt selftest</c>: runs the real publishing path (outbox, persistent session, birth and last will) with a
/// numbered test event stream on <c>edgeops/v1/{site}/selftest/selftest/{gatewayId}/events</c>, so commissioning can
/// prove the broker path, and pull the network cable to watch nothing go missing. Subscribers check that every
/// <c>seq</c> arrives. Stops after <c>--count</c> events (0 = run until Ctrl+C) once the outbox is empty.
/// </summary>
internal sealed class MqttSelftestCommand : CliCommand
{
    private readonly CliOptions _options = MqttCliArguments.BrokerOptions("mqtt://127.0.0.1:1883")
        .Text("gateway-id", "id", "gateway id in the topics (default selftest)")
        .Text("site", "site", "site in the topics (default site)")
        .Text("data", "dir", "directory of the outbox (default ./data)")
        .Text("rate", "n", "events per second (default 20)")
        .Text("count", "n", "stop after n events (default: until Ctrl+C)")
        .Text("max-bytes", "n", "outbox bound in bytes (default 256 MiB)");

    public override IReadOnlyList<string> Path { get; } = ["mqtt", "selftest"];

    public override string Description => "publish a numbered test stream through the outbox, as the gateway does";

    protected override void Define(Command command) => _options.AddTo(command);

    protected override async Task<int> ExecuteAsync(ParseResult parsed, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        MqttOptions options;
        double rate;
        long count;
        try
        {
            var args = MqttCliArguments.From(_options.Read(parsed));
            var gatewayId = args.Get("gateway-id", "selftest");
            options = new MqttOptions
            {
                Broker = args.Get("broker", "mqtt://127.0.0.1:1883"),
                GatewayId = gatewayId,
                Site = args.Get("site", "site"),
                Version = typeof(MqttSelftestCommand).Assembly.GetName().Version?.ToString() ?? "0.0.0",
                ConfigHash = "selftest",
                ReconnectMinDelay = TimeSpan.FromMilliseconds(250),
                ReconnectMaxDelay = TimeSpan.FromSeconds(2),
                KeepAlive = TimeSpan.FromSeconds(5),
                Tls = new MqttTlsOptions { CaFile = args.Get("ca"), ClientCertificateFile = args.Get("cert"), ClientKeyFile = args.Get("key") },
                Outbox = new OutboxOptions
                {
                    Path = System.IO.Path.Combine(args.Get("data", "data"), "outbox.db"),
                    MaxBytes = (long)args.Number("max-bytes", 256d * 1024 * 1024),
                },
            };
            _ = options.Endpoint;
            rate = Math.Max(0.1, args.Number("rate", 20));
            count = (long)args.Number("count", 0);
        }
        catch (ArgumentException ex)
        {
            await error.WriteLineAsync($"edgeops mqtt selftest: {ex.Message}").ConfigureAwait(false);
            return 2;
        }

        using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Information));
        var topics = MqttTopics.Machine(options.Site, "selftest", "selftest", options.GatewayId);
        await using var publisher = new MqttPublisher(options, TimeProvider.System, loggers);
        await publisher.StartAsync(cancellationToken).ConfigureAwait(false);
        await output.WriteLineAsync($"selftest: publishing to {topics.Events} at {rate.ToString(CultureInfo.InvariantCulture)}/s").ConfigureAwait(false);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1 / rate));
        long sent = 0;
        try
        {
            while ((count == 0 || sent < count) && await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                var now = DateTimeOffset.UtcNow;
                var seq = await publisher.EnqueueAsync(OutgoingMessage.Json(topics.Events, MessageKind.Event, new EventPayload
                {
                    Ts = now,
                    Machine = topics.MachineId,
                    Type = "stateChanged",
                    Severity = "info",
                    Message = "selftest",
                    At = now,
                }, PayloadJsonContext.Default.EventPayload), cancellationToken).ConfigureAwait(false);
                sent++;
                if (seq % 50 == 0)
                {
                    await output.WriteLineAsync($"selftest: queued seq {seq}, outbox {publisher.Outbox.Count}").ConfigureAwait(false);
                }
            }

            while (publisher.Outbox.Count > 0)
            {
                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }

            await output.WriteLineAsync($"selftest: done, {sent} events acknowledged").ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await output.WriteLineAsync($"selftest: stopped, {publisher.Outbox.Count} messages stay queued").ConfigureAwait(false);
        }

        await publisher.StopAsync(CancellationToken.None).ConfigureAwait(false);
        return 0;
    }
}
