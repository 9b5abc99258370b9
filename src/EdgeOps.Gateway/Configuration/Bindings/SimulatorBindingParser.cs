using EdgeOps.Core.Model;
using YamlDotNet.RepresentationModel;

namespace EdgeOps.Gateway.Configuration.Bindings;

/// <summary>
/// <c>source: { simulator: {} }</c>: the line simulator drives the signal. Leaving <c>source</c> out means the same;
/// writing it makes a mixed line (some signals on hardware, some simulated) explicit.
/// </summary>
internal sealed class SimulatorBindingParser : IBindingParser
{
    public string Kind => "simulator";

    public SourceBinding? Parse(YamlNode node, string keyPath, ConfigContext context)
    {
        if (MappingReader.IsNull(node))
        {
            return new SimulatorBinding();
        }

        return MappingReader.Open(node, keyPath, context) is null ? null : new SimulatorBinding();
    }
}
