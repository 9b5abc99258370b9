using EdgeOps.Core.Model;
using YamlDotNet.RepresentationModel;

namespace EdgeOps.Gateway.Configuration.Bindings;

/// <summary>
/// <c>source: { sensor: { device: vib1, channel: x } }</c>. That the device exists and has the channel is checked
/// against <c>sources.sensors</c> by <see cref="SensorBusValidator"/>.
/// </summary>
internal sealed class SensorBindingParser : IBindingParser
{
    public string Kind => "sensor";

    public SourceBinding? Parse(YamlNode node, string keyPath, ConfigContext context)
    {
        var map = MappingReader.Open(node, keyPath, context, "device", "channel");
        if (map is null)
        {
            return null;
        }

        var device = map.String("device", required: true);
        var channel = map.String("channel", required: true);
        return device is null || channel is null ? null : new SensorBinding { Device = device, Channel = channel };
    }
}
