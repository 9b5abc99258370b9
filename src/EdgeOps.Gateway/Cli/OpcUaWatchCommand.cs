using System.Globalization;
using EdgeOps.OpcUa.Subscriptions;
using EdgeOps.OpcUa.Types;

namespace EdgeOps.Gateway.Cli;

/// <summary><c>edgeops opcua watch &lt;endpoint&gt; &lt;node&gt;...</c>: prints every change until Ctrl-C (or --seconds).</summary>
internal sealed class OpcUaWatchCommand : ICommand
{
    public IReadOnlyList<string> Path { get; } = ["opcua", "watch"];

    public string Usage => "opcua watch <opc.tcp://...> <node>... [--interval <ms>] [--seconds <n>] [--user <name>] " + OpcUaCliArguments.SecurityUsage + "   print changes as they come";

    public Task<int> RunAsync(IReadOnlyList<string> arguments, TextWriter output, TextWriter error, CancellationToken cancellationToken) =>
        OpcUaCliArguments.GuardAsync(error, async () =>
        {
            var args = OpcUaCliArguments.Parse(arguments, error, Usage);
            if (args is null || args.Positional.Count == 0)
            {
                if (args is not null)
                {
                    error.WriteLine("usage: edgeops " + Usage);
                }

                return 2;
            }

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
