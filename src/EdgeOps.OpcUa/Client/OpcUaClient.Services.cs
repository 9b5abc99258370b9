using EdgeOps.OpcUa.Services;
using EdgeOps.OpcUa.Types;

namespace EdgeOps.OpcUa.Client;

public sealed partial class OpcUaClient
{
    /// <summary>Reads one attribute of many nodes, in batches of the server's MaxNodesPerRead; results in input order.</summary>
    public async Task<IReadOnlyList<DataValue>> ReadAsync(IReadOnlyList<NodeId> nodes, uint attributeId = Attributes.Value,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        var results = new List<DataValue>(nodes.Count);
        foreach (var batch in nodes.Chunk(OperationLimits.Batch(Limits.MaxNodesPerRead, 1000)))
        {
            var response = await CallAsync<ReadResponse>(new ReadRequest
            {
                NodesToRead = [.. batch.Select(n => new ReadValueId(n, attributeId))],
                TimestampsToReturn = TimestampsToReturn.Both,
            }, "Read", cancellationToken).ConfigureAwait(false);
            CheckCount(response.Results.Length, batch.Length, "Read");
            results.AddRange(response.Results);
        }

        return results;
    }

    /// <summary>Reads the value of one node; throws when its status is Bad, naming the node.</summary>
    public async Task<DataValue> ReadValueAsync(NodeId node, CancellationToken cancellationToken = default)
    {
        var value = (await ReadAsync([node], Attributes.Value, cancellationToken).ConfigureAwait(false))[0];
        return value.Status.IsBad ? throw new OpcUaException(value.Status, $"Read {node} failed: {value.Status}") : value;
    }

    /// <summary>Writes values, in batches of MaxNodesPerWrite; returns one status per value.</summary>
    public async Task<IReadOnlyList<StatusCode>> WriteAsync(IReadOnlyList<KeyValuePair<NodeId, Variant>> values, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        var results = new List<StatusCode>(values.Count);
        foreach (var batch in values.Chunk(OperationLimits.Batch(Limits.MaxNodesPerWrite, 1000)))
        {
            var response = await CallAsync<StatusResultsResponse>(new WriteRequest
            {
                NodesToWrite = [.. batch.Select(v => new WriteValue(v.Key, new DataValue(v.Value)))],
            }, "Write", cancellationToken).ConfigureAwait(false);
            CheckCount(response.Results.Length, batch.Length, "Write");
            results.AddRange(response.Results);
        }

        return results;
    }

    /// <summary>Writes one value; throws when the server refuses, naming the node.</summary>
    public async Task WriteValueAsync(NodeId node, Variant value, CancellationToken cancellationToken = default)
    {
        var status = (await WriteAsync([new(node, value)], cancellationToken).ConfigureAwait(false))[0];
        if (status.IsBad)
        {
            throw new OpcUaException(status, $"Write {node} failed: {status}");
        }
    }

    /// <summary>
    /// Browses the forward hierarchical references of many nodes, in batches of MaxNodesPerBrowse, following
    /// continuation points with BrowseNext; continuation points are released when browsing stops early.
    /// </summary>
    /// <param name="nodes">The nodes to browse.</param>
    /// <param name="nodeClassMask">Only targets of these classes; Unspecified returns all.</param>
    /// <param name="maxReferencesPerNode">References per node and call; the rest comes through BrowseNext.</param>
    /// <param name="cancellationToken">Cancels the browse (continuation points are released).</param>
    public async Task<IReadOnlyList<IReadOnlyList<BrowsedReference>>> BrowseAsync(IReadOnlyList<NodeId> nodes,
        NodeClass nodeClassMask = NodeClass.Unspecified, uint maxReferencesPerNode = 1000, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        var all = new List<IReadOnlyList<BrowsedReference>>(nodes.Count);
        foreach (var batch in nodes.Chunk(OperationLimits.Batch(Limits.MaxNodesPerBrowse, 500)))
        {
            var response = await CallAsync<BrowseResponse>(new BrowseRequest
            {
                RequestedMaxReferencesPerNode = maxReferencesPerNode,
                NodesToBrowse = [.. batch.Select(n => new BrowseDescription(n, BrowseDirection.Forward, WellKnownNodes.HierarchicalReferences, true, (uint)nodeClassMask))],
            }, "Browse", cancellationToken).ConfigureAwait(false);
            CheckCount(response.Results.Length, batch.Length, "Browse");
            var lists = new List<BrowsedReference>[batch.Length];
            var continuations = new List<(int Index, byte[] Point)>();
            for (var i = 0; i < batch.Length; i++)
            {
                var result = response.Results[i];
                if (result.StatusCode.IsBad)
                {
                    throw new OpcUaException(result.StatusCode, $"Browse {batch[i]} failed: {result.StatusCode}");
                }

                lists[i] = [.. result.References.Select(ToBrowsed)];
                if (result.ContinuationPoint is { Length: > 0 } point)
                {
                    continuations.Add((i, point));
                }
            }

            await FollowContinuationsAsync(continuations, lists, cancellationToken).ConfigureAwait(false);
            all.AddRange(lists);
        }

        return all;
    }

    private async Task FollowContinuationsAsync(List<(int Index, byte[] Point)> continuations, List<BrowsedReference>[] lists, CancellationToken cancellationToken)
    {
        try
        {
            while (continuations.Count > 0)
            {
                var response = await CallAsync<BrowseResponse>(new BrowseNextRequest
                {
                    ContinuationPoints = [.. continuations.Select(c => c.Point)],
                }, "BrowseNext", cancellationToken).ConfigureAwait(false);
                CheckCount(response.Results.Length, continuations.Count, "BrowseNext");
                var next = new List<(int, byte[])>();
                for (var i = 0; i < continuations.Count; i++)
                {
                    var result = response.Results[i];
                    if (result.StatusCode.IsBad)
                    {
                        throw new OpcUaException(result.StatusCode, $"BrowseNext failed: {result.StatusCode}");
                    }

                    lists[continuations[i].Index].AddRange(result.References.Select(ToBrowsed));
                    if (result.ContinuationPoint is { Length: > 0 } point)
                    {
                        next.Add((continuations[i].Index, point));
                    }
                }

                continuations = next;
            }
        }
        catch when (continuations.Count > 0 && _state == ConnectionState.Connected)
        {
            // Servers hold few continuation points per session: give back the ones we abandon.
            try
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await CallAsync<BrowseResponse>(new BrowseNextRequest
                {
                    ReleaseContinuationPoints = true,
                    ContinuationPoints = [.. continuations.Select(c => c.Point)],
                }, "BrowseNext", cts.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OpcUaException or OperationCanceledException)
            {
                // Released with the session at the latest.
            }

            throw;
        }
    }

    private static BrowsedReference ToBrowsed(ReferenceDescription r) =>
        new(r.NodeId, r.BrowseName, r.DisplayName, r.NodeClass, r.ReferenceTypeId, r.TypeDefinition);

    /// <summary>
    /// Resolves browse paths to node ids (TranslateBrowsePathsToNodeIds, batched), binding names by namespace URI.
    /// Each result is the node id, or the status that says why the path did not resolve.
    /// </summary>
    public async Task<IReadOnlyList<(NodeId? NodeId, StatusCode Status)>> TranslateAsync(IReadOnlyList<BrowsePathSpec> paths,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var results = new List<(NodeId?, StatusCode)>(paths.Count);
        foreach (var batch in paths.Chunk(OperationLimits.Batch(Limits.MaxNodesPerTranslate, 500)))
        {
            var requests = new List<BrowsePath>();
            var unresolved = new Dictionary<int, StatusCode>();
            for (var i = 0; i < batch.Length; i++)
            {
                var elements = new List<RelativePathElement>();
                foreach (var e in batch[i].Elements)
                {
                    var ns = e.NamespaceUri is null ? 0 : NamespaceIndex(e.NamespaceUri);
                    if (ns < 0)
                    {
                        unresolved[i] = StatusCode.BadNodeIdUnknown;
                        break;
                    }

                    elements.Add(new RelativePathElement(WellKnownNodes.HierarchicalReferences, false, true, new QualifiedName((ushort)ns, e.Name)));
                }

                requests.Add(new BrowsePath(batch[i].StartNode, elements));
            }

            var response = await CallAsync<TranslateBrowsePathsResponse>(new TranslateBrowsePathsRequest { BrowsePaths = requests },
                "TranslateBrowsePathsToNodeIds", cancellationToken).ConfigureAwait(false);
            CheckCount(response.Results.Length, batch.Length, "TranslateBrowsePathsToNodeIds");
            for (var i = 0; i < batch.Length; i++)
            {
                if (unresolved.TryGetValue(i, out var missing))
                {
                    results.Add((null, missing));
                    continue;
                }

                var result = response.Results[i];
                var target = result.Targets.FirstOrDefault(t => t.RemainingPathIndex == uint.MaxValue)?.TargetId.ToNodeId(NamespaceArray);
                results.Add(result.StatusCode.IsBad || target is null ? (null, result.StatusCode.IsBad ? result.StatusCode : StatusCode.BadNotFound) : (target, StatusCode.Good));
            }
        }

        return results;
    }

    /// <summary>Calls a method; returns its output arguments, or throws naming the method and the status.</summary>
    public async Task<IReadOnlyList<Variant>> CallMethodAsync(NodeId objectId, NodeId methodId, IReadOnlyList<Variant> inputArguments,
        CancellationToken cancellationToken = default)
    {
        var response = await CallAsync<CallResponse>(new CallRequest
        {
            MethodsToCall = [new CallMethodRequest(objectId, methodId, inputArguments)],
        }, "Call", cancellationToken).ConfigureAwait(false);
        CheckCount(response.Results.Length, 1, "Call");
        var result = response.Results[0];
        if (result.StatusCode.IsBad)
        {
            var inputs = string.Join(", ", result.InputArgumentResults.Select(s => s.Name));
            throw new OpcUaException(result.StatusCode, $"Call {methodId} on {objectId} failed: {result.StatusCode}{(inputs.Length > 0 ? $" (arguments: {inputs})" : string.Empty)}");
        }

        return result.OutputArguments;
    }

    private static void CheckCount(int got, int expected, string service)
    {
        if (got != expected)
        {
            throw new OpcUaException(StatusCode.BadUnknownResponse, $"{service} returned {got} results for {expected} operations.");
        }
    }
}
