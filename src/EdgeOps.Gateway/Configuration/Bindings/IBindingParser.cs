using EdgeOps.Core.Model;
using YamlDotNet.RepresentationModel;

namespace EdgeOps.Gateway.Configuration.Bindings;

/// <summary>
/// Parses one source kind's binding under a signal: <c>source: { &lt;Kind&gt;: { ... } }</c>.
/// To add a kind: one class implementing this, one line in <see cref="BindingParsers.All"/>.
/// </summary>
internal interface IBindingParser
{
    /// <summary>The key under <c>source:</c> (simulator, gpio, sensor, opcua).</summary>
    string Kind { get; }

    /// <summary>
    /// Parses the value under the kind key (usually a mapping; may be an empty scalar for kinds without settings).
    /// Reports every problem through <paramref name="context"/> with <paramref name="keyPath"/>
    /// (e.g. <c>machines[0].signals[2].source.opcua</c>) and returns null when the binding is unusable.
    /// <see cref="MappingReader.Open"/> does unknown keys and types for you.
    /// </summary>
    SourceBinding? Parse(YamlNode node, string keyPath, ConfigContext context);
}
