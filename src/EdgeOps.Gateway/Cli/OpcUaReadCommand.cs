using System.CommandLine;
using EdgeOps.OpcUa.Types;

namespace EdgeOps.Gateway.Cli;

/// <summary><c>edgeops opcua read &lt;endpoint&gt; &lt;node&gt;...</c>: one line per node with value, status and source time.</summary>
internal sealed class OpcUaReadCommand : CliCommand
{
    private readonly Argument<string> _endpoint = OpcUaCliArguments.EndpointArgument();

    private readonly Argument<string[]> _nodes = OpcUaCliArguments.NodesArgument();

    private readonly CliOptions _options = OpcUaCliArguments.Options();

    public override IReadOnlyList<string> Path { get; } = ["opcua", "read"];

    public override string Description => "current values with status and source timestamp";

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
