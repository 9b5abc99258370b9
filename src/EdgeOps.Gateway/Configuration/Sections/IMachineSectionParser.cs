using EdgeOps.Core.Model;
using YamlDotNet.RepresentationModel;

namespace EdgeOps.Gateway.Configuration.Sections;

/// <summary>
/// An extra section under a machine that another feature owns (condition monitoring's <c>maintenance:</c>).
/// To add one: one class implementing this (and an init property on <see cref="MachineDefinition"/>),
/// one line in <see cref="SectionParsers.Machine"/>. Until then the key is reported as unknown.
/// </summary>
internal interface IMachineSectionParser
{
    string Key { get; }

    /// <summary>Returns <paramref name="machine"/> with the section applied; reports problems under <paramref name="keyPath"/>.</summary>
    MachineDefinition Parse(YamlNode node, string keyPath, MachineDefinition machine, ConfigContext context);
}
