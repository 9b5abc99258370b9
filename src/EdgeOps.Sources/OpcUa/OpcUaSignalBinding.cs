using EdgeOps.Core.Model;
using EdgeOps.Core.Signals;
using EdgeOps.OpcUa.Client;
using EdgeOps.OpcUa.Subscriptions;
using EdgeOps.OpcUa.Types;

namespace EdgeOps.Sources.OpcUa;

/// <summary>Turns a signal's <see cref="OpcUaBinding"/> into a monitored item whose client handle is the signal handle.</summary>
internal static class OpcUaSignalBinding
{
    /// <summary>The monitored item for a signal, or an error text naming what is wrong with the binding.</summary>
    public static (MonitoredItemRequest? Item, string? Error) ToItem(SignalInfo signal, OpcUaBinding binding, OpcUaEndpointDefinition endpoint)
    {
        var sampling = binding.SamplingInterval ?? endpoint.SamplingInterval;
        var deadband = binding.Deadband is > 0 ? DeadbandKind.Absolute : DeadbandKind.None;
        if (binding.Node is not null == binding.BrowsePath is not null)
        {
            return (null, "set exactly one of node and browsePath");
        }

        if (binding.Node is not null)
        {
            if (!NodeId.TryParse(binding.Node, out var nodeId, out var error))
            {
                return (null, $"node '{binding.Node}' does not parse: {error}");
            }

            return (new MonitoredItemRequest
            {
                ClientHandle = (uint)signal.Handle,
                NodeId = nodeId,
                NamespaceUri = binding.NamespaceUri,
                SamplingInterval = sampling,
                QueueSize = endpoint.QueueSize,
                Deadband = deadband,
                DeadbandValue = binding.Deadband ?? 0,
            }, null);
        }

        try
        {
            return (new MonitoredItemRequest
            {
                ClientHandle = (uint)signal.Handle,
                BrowsePath = BrowsePathSpec.Parse(binding.BrowsePath!, binding.NamespaceUri),
                SamplingInterval = sampling,
                QueueSize = endpoint.QueueSize,
                Deadband = deadband,
                DeadbandValue = binding.Deadband ?? 0,
            }, null);
        }
        catch (FormatException ex)
        {
            return (null, ex.Message);
        }
    }

    /// <summary>OPC UA severity to signal quality: Bad makes the signal stale (machine Offline), never a value.</summary>
    public static SignalQuality Quality(StatusCode status) =>
        status.IsBad ? SignalQuality.Bad : status.IsUncertain ? SignalQuality.Uncertain : SignalQuality.Good;
}
