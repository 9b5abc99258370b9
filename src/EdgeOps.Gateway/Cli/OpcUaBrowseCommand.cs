using System.CommandLine;
using EdgeOps.OpcUa.Client;
using EdgeOps.OpcUa.Types;

namespace EdgeOps.Gateway.Cli;

/// <summary><c>edgeops opcua browse &lt;endpoint&gt; [--node id] [--depth n]</c>: the address space as a tree with ids, types and values.</summary>
internal sealed class OpcUaBrowseCommand : CliCommand
{
    private readonly Argument<string> _endpoint = OpcUaCliArguments.EndpointArgument();

    private readonly CliOptions _options = OpcUaCliArguments.Options()
        .Text("node", "id", "start below this node (default: the Objects folder)")
        .Text("depth", "n", "levels to descend (default 3)");

    public override IReadOnlyList<string> Path { get; } = ["opcua", "browse"];

    public override string Description => "the address space as a tree with node ids, data types and values";

    protected override void Define(Command command)
    {
        command.Add(_endpoint);
        _options.AddTo(command);
    }

    protected override Task<int> ExecuteAsync(ParseResult parsed, TextWriter output, TextWriter error, CancellationToken cancellationToken) =>
        OpcUaCliArguments.GuardAsync(error, async () =>
        {
            var args = OpcUaCliArguments.From(_options.Read(parsed), parsed.GetRequiredValue(_endpoint));
            var start = args.NodeOption("node", WellKnownNodes.ObjectsFolder);
            var depth = args.IntOption("depth", 3);
            await using var client = await args.ConnectAsync(cancellationToken);
            output.WriteLine($"{start}");
            await foreach (var node in OpcUaTreeWalker.WalkAsync(client, start, depth, cancellationToken))
            {
                var indent = new string(' ', node.Depth * 2);
                var line = $"{indent}{node.Reference.BrowseName}  [{node.Reference.NodeClass}] {node.NodeId}";
                if (node.Reference.NodeClass == NodeClass.Variable)
                {
                    line += $"  {OpcUaCliArguments.DataTypeName(node.DataType)} = {Format(node.Value)}";
                }

                output.WriteLine(line);
            }

            return 0;
        });

    private static string Format(DataValue? value) => value is null ? "?" : value.Status.IsBad
        ? value.Status.Name
        : value.Value.ToString() + (value.Status.IsGood ? string.Empty : $" [{value.Status.Name}]");
}

/// <summary>A node met while walking the tree, with its data type and value for variables.</summary>
internal sealed record OpcUaTreeNode(int Depth, NodeId NodeId, BrowsedReference Reference, NodeId? DataType, DataValue? Value, string Path);

/// <summary>Depth-first walk below a node, browsing one level per call and reading variables' types and values in batches.</summary>
internal static class OpcUaTreeWalker
{
    public static async IAsyncEnumerable<OpcUaTreeNode> WalkAsync(OpcUaClient client, NodeId start, int maxDepth,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var seen = new HashSet<NodeId> { start };
        var results = new List<OpcUaTreeNode>();
        await WalkLevelAsync(client, start, 1, maxDepth, string.Empty, seen, results, cancellationToken);
        foreach (var node in results)
        {
            yield return node;
        }
    }

    private static async Task WalkLevelAsync(OpcUaClient client, NodeId parent, int depth, int maxDepth, string path, HashSet<NodeId> seen,
        List<OpcUaTreeNode> results, CancellationToken cancellationToken)
    {
        if (depth > maxDepth)
        {
            return;
        }

        var children = (await client.BrowseAsync([parent], cancellationToken: cancellationToken))[0]
            .Where(r => r.NodeClass is NodeClass.Object or NodeClass.Variable or NodeClass.Method)
            .Select(r => (Ref: r, Id: r.NodeId.ToNodeId(client.NamespaceArray)))
            .Where(c => c.Id is not null && seen.Add(c.Id))
            .ToList();
        var variables = children.Where(c => c.Ref.NodeClass == NodeClass.Variable).Select(c => c.Id!).ToList();
        var types = variables.Count == 0 ? [] : await client.ReadAsync(variables, Attributes.DataType, cancellationToken);
        var values = variables.Count == 0 ? [] : await client.ReadAsync(variables, Attributes.Value, cancellationToken);
        var byNode = variables.Select((v, i) => (v, i)).ToDictionary(x => x.v, x => x.i);
        foreach (var (reference, id) in children)
        {
            var childPath = path.Length == 0 ? reference.BrowseName.Name ?? string.Empty : path + "/" + reference.BrowseName.Name;
            NodeId? dataType = null;
            DataValue? value = null;
            if (byNode.TryGetValue(id!, out var i))
            {
                dataType = types[i].Value.Value as NodeId;
                value = values[i];
            }

            results.Add(new OpcUaTreeNode(depth, id!, reference, dataType, value, childPath));
            if (reference.NodeClass == NodeClass.Object)
            {
                await WalkLevelAsync(client, id!, depth + 1, maxDepth, childPath, seen, results, cancellationToken);
            }
        }
    }
}
