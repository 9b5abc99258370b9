using EdgeOps.Core.Model;
using YamlDotNet.RepresentationModel;

namespace EdgeOps.Gateway.Configuration.Sources;

/// <summary>
/// Parses one line-level section under <c>sources:</c> (<c>simulator:</c>, <c>gpio:</c>, <c>opcua:</c>, <c>sensors:</c>).
/// To add one: one class implementing this (and an init property on <see cref="SourcesDefinition"/>),
/// one line in <see cref="SourcesSectionParsers.All"/>.
/// </summary>
internal interface ISourcesSectionParser
{
    /// <summary>The key under <c>sources:</c>.</summary>
    string Key { get; }

    /// <summary>
    /// Parses <paramref name="node"/> and returns <paramref name="sources"/> with this section set
    /// (<c>sources with { Gpio = ... }</c>); reports problems with <paramref name="keyPath"/> (e.g. <c>sources.gpio</c>).
    /// Checks that need the machines (a degrading machine that must exist) belong in an <c>ILineValidator</c>.
    /// </summary>
    SourcesDefinition Parse(YamlNode node, string keyPath, SourcesDefinition sources, ConfigContext context);
}
