using EdgeOps.Core.Model;
using EdgeOps.Gateway.Configuration.Validation;

namespace EdgeOps.Gateway.Configuration.OpcUa;

/// <summary>Every OPC UA binding names an endpoint the line's <c>sources: opcua: endpoints</c> defines.</summary>
internal sealed class OpcUaEndpointValidator : ILineValidator
{
    public void Validate(LineDefinition line, ConfigContext context)
    {
        var endpoints = line.Sources.OpcUa?.Endpoints.Select(e => e.Name).ToHashSet(StringComparer.Ordinal) ?? [];
        foreach (var machine in line.Machines)
        {
            foreach (var signal in machine.Signals)
            {
                if (signal.Source is OpcUaBinding binding && !endpoints.Contains(binding.Endpoint))
                {
                    context.Error(ConfigContext.Child(context.PathOf(signal), "source.opcua.endpoint"),
                        endpoints.Count == 0
                            ? $"endpoint '{binding.Endpoint}' is not defined: add it under sources: opcua: endpoints"
                            : MappingReader.UnknownName("endpoint", binding.Endpoint, endpoints));
                }
            }
        }
    }
}
