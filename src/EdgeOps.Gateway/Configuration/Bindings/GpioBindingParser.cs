using EdgeOps.Core.Model;
using YamlDotNet.RepresentationModel;

namespace EdgeOps.Gateway.Configuration.Bindings;

/// <summary>
/// <c>source: { gpio: { pin: 17, edge: rising, debounce: 5ms, minWidth: 2ms, pull: up, activeLow: true, settle: 50ms } }</c>.
/// Whether the pin exists, is free and may be pulled is a board question: <see cref="GpioBoardValidator"/>.
/// </summary>
internal sealed class GpioBindingParser : IBindingParser
{
    public string Kind => "gpio";

    public SourceBinding? Parse(YamlNode node, string keyPath, ConfigContext context)
    {
        var map = MappingReader.Open(node, keyPath, context, "pin", "edge", "debounce", "minWidth", "pull", "activeLow", "settle");
        if (map is null)
        {
            return null;
        }

        var pin = map.Integer("pin", 0, 1023, required: true);
        var defaults = new GpioBinding { Pin = 0 };
        var binding = new GpioBinding
        {
            Pin = (int)(pin ?? 0),
            Edge = map.Choice("edge", GpioNames.Edges, "edge") ?? defaults.Edge,
            Debounce = map.Duration("debounce", allowZero: true) ?? defaults.Debounce,
            MinWidth = map.Duration("minWidth", allowZero: true) ?? defaults.MinWidth,
            Pull = map.Choice("pull", GpioNames.Pulls, "pull") ?? defaults.Pull,
            ActiveLow = map.Bool("activeLow") ?? defaults.ActiveLow,
            Settle = map.Duration("settle", allowZero: true) ?? defaults.Settle,
        };
        return pin is null ? null : binding;
    }
}
