using System.CommandLine;
using System.Globalization;
using EdgeOps.OpcUa.Subscriptions;
using EdgeOps.OpcUa.Types;

namespace EdgeOps.Gateway.Cli;

/// <summary><c>edgeops opcua watch &lt;endpoint&gt; &lt;node&gt;...</c>: prints every change until Ctrl-C (or --seconds).</summary>
internal sealed class OpcUaWatchCommand : CliCommand
{
    private readonly Argument<string> _endpoint = OpcUaCliArguments.EndpointArgument();

    private readonly Argument<string[]> _nodes = OpcUaCliArguments.NodesArgument();

    private readonly CliOptions _options = OpcUaCliArguments.Options()
        .Text("interval", "ms", "sampling and publishing interval in milliseconds (default 250)")
        .Text("seconds", "n", "stop after n seconds of watching (default: until Ctrl+C)");

    public override IReadOnlyList<string> Path { get; } = ["opcua", "watch"];

    public override string Description => "print value changes as they come, until Ctrl+C or --seconds";

    protected override void Define(Command command)
    {
        command.Add(_endpoint);
        command.Add(_nodes);
        _options.AddTo(command);
    }

    protected override Task<int> ExecuteAsync(ParseResult parsed, TextWriter output, TextWriter error, CancellationToken cancellationToken) =>
        OpcUaCliArguments.GuardAsync(error, async () =>
        {
            var args = OpcUaCliArguments.From(_options.Read(parsed), parsed.GetRequiredValue(_endpoint), parsed.GetRequiredValue(_nodes));
            var nodes = args.Positional.Select(NodeId.Parse).ToList();
            var interval = TimeSpan.FromMilliseconds(args.IntOption("interval", 250));
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            await using var client = await args.ConnectAsync(cancellationToken);

            // --seconds counts watching time: a secure handshake on a slow PLC must not eat into it.
            if (args.IntOption("seconds", 0) is > 0 and var seconds)
            {
                stop.CancelAfter(TimeSpan.FromSeconds(seconds));
            }

            client.ConnectionStateChanged += (_, e) => error.WriteLine($"# {e.State}: {e.Detail}{(e.Reason is null ? string.Empty : " - " + e.Reason.Message)}");
            var subscription = await client.CreateSubscriptionAsync(new SubscriptionOptions { PublishingInterval = interval }, cancellationToken);
            var results = await subscription.AddItemsAsync(
                [.. nodes.Select((n, i) => new MonitoredItemRequest { ClientHandle = (uint)i, NodeId = n, SamplingInterval = interval, QueueSize = 10 })],
                cancellationToken);
            foreach (var bad in results.Where(r => r.Status.IsBad))
            {
                error.WriteLine($"warning: {nodes[(int)bad.ClientHandle]} is not monitored: {bad.Status}");
            }

            try
            {
                await foreach (var change in subscription.Values.ReadAllAsync(stop.Token))
                {
                    var v = change;
                    var time = (v.SourceTimestamp ?? v.ServerTimestamp ?? DateTime.UtcNow).ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture);
                    output.WriteLine($"{time}  {nodes[(int)change.ClientHandle]} = {v.Value}{(v.Status.IsGood ? string.Empty : "  " + v.Status.Name)}");
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // Ctrl-C or --seconds elapsed.
            }

            return 0;
        });
}
