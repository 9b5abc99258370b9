using EdgeOps.OpcUa.Types;

namespace EdgeOps.Gateway.Cli;

/// <summary><c>edgeops opcua read &lt;endpoint&gt; &lt;node&gt;...</c>: one line per node with value, status and source time.</summary>
internal sealed class OpcUaReadCommand : ICommand
{
    public IReadOnlyList<string> Path { get; } = ["opcua", "read"];

    public string Usage => "opcua read <opc.tcp://...> <node>... [--user <name>] " + OpcUaCliArguments.SecurityUsage + "   current values with status and source timestamp";

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
            await using var client = await args.ConnectAsync(cancellationToken);
            var values = await client.ReadAsync(nodes, Attributes.Value, cancellationToken);
            var failed = false;
            for (var i = 0; i < nodes.Count; i++)
            {
                var v = values[i];
                failed |= v.Status.IsBad;
                var time = v.SourceTimestamp is { } ts ? ts.ToString("O", System.Globalization.CultureInfo.InvariantCulture) : "-";
                output.WriteLine($"{nodes[i]} = {(v.Status.IsBad ? "(no value)" : v.Value.ToString())}  {v.Status.Name}  {time}");
            }

            return failed ? 1 : 0;
        });
}
