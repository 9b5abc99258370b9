using EdgeOps.Core.Model;
using YamlDotNet.RepresentationModel;

namespace EdgeOps.Gateway.Configuration.Sections;

/// <summary>
/// An extra section under a signal that another feature owns (condition monitoring's <c>condition:</c>).
/// To add one: one class implementing this (and an init property on <see cref="SignalDefinition"/>),
/// one line in <see cref="SectionParsers.Signal"/>. Until then the key is reported as unknown.
/// </summary>
internal interface ISignalSectionParser
{
    string Key { get; }

    /// <summary>Returns <paramref name="signal"/> with the section applied; reports problems under <paramref name="keyPath"/>.</summary>
    SignalDefinition Parse(YamlNode node, string keyPath, SignalDefinition signal, ConfigContext context);
}
