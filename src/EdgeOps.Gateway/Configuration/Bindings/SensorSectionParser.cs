using System.Globalization;
using EdgeOps.Core.Model;
using EdgeOps.Gateway.Configuration.Sources;
using EdgeOps.Sources.Sensors;
using YamlDotNet.RepresentationModel;

namespace EdgeOps.Gateway.Configuration.Bindings;

/// <summary>
/// <c>sources: sensors:</c> a list of devices:
/// <c>- { id: env1, type: bme280, bus: i2c-1, address: 0x76, sampleRate: 1, window: 60s }</c>,
/// <c>- { id: adc1, type: ads1115, bus: i2c-1, address: 0x48, inputs: { ain0: { input: 4-20mA, low: 0, high: 10 } } }</c>.
/// Cross-device rules (address clashes, buses the board lacks) are in <see cref="SensorBusValidator"/>.
/// </summary>
internal sealed class SensorSectionParser : ISourcesSectionParser
{
    public string Key => "sensors";

    public SourcesDefinition Parse(YamlNode node, string keyPath, SourcesDefinition sources, ConfigContext context)
    {
        if (node is not YamlSequenceNode seq)
        {
            context.Error(node, keyPath, $"expected a list of sensor devices ('- ' items), got {MappingReader.Describe(node)}");
            return sources;
        }

        var list = new List<SensorDefinition>();
        for (var i = 0; i < seq.Children.Count; i++)
        {
            var path = ConfigContext.Item(keyPath, i);
            if (ParseDevice(seq.Children[i], path, context) is { } sensor)
            {
                context.RememberPath(sensor, path);
                list.Add(sensor);
            }
        }

        return sources with { Sensors = list };
    }

    /// <summary>An I2C address written 0x76 (as datasheets do) or 118.</summary>
    public static bool TryParseAddress(string text, out int address)
    {
        address = 0;
        return text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? int.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out address)
            : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out address);
    }

    private static SensorDefinition? ParseDevice(YamlNode node, string path, ConfigContext context)
    {
        var map = MappingReader.Open(
            node, path, context, "id", "type", "bus", "address", "sampleRate", "window", "range", "inputs", "retryDelay", "maxRetryDelay");
        if (map is null)
        {
            return null;
        }

        var id = map.Id("id", required: true);
        var type = map.Choice("type", GpioNames.SensorTypes, "sensor type", required: true);
        var bus = map.String("bus", required: true);
        if (bus is not null && !SensorBus.TryParse(bus, out _))
        {
            context.Error(map.Get("bus"), map.PathOf("bus"), $"'{bus}' is not a bus: expected {SensorBus.Expected}");
            bus = null;
        }

        int? address = null;
        if (map.String("address") is { } addressText)
        {
            if (TryParseAddress(addressText, out var parsed) && parsed is >= 0x03 and <= 0x77)
            {
                address = parsed;
            }
            else
            {
                context.Error(map.Get("address"), map.PathOf("address"), $"'{addressText}' is not a 7-bit I2C address (0x03..0x77, e.g. 0x76)");
            }
        }

        var range = map.Integer("range", 2, 16);
        if (range is not null and not (2 or 4 or 8 or 16))
        {
            context.Error(map.Get("range"), map.PathOf("range"), $"{range} is not an ADXL345 range: expected 2, 4, 8 or 16 (g)");
        }

        var inputs = ParseInputs(map, context);
        var defaults = new SensorDefinition { Id = "x", Type = SensorType.Bme280, Bus = "i2c-1" };
        if (id is null || type is null || bus is null)
        {
            return null;
        }

        return new SensorDefinition
        {
            Id = id,
            Type = type.Value,
            Bus = bus,
            Address = address,
            SampleRate = map.Double("sampleRate", 0.001, 3200) ?? defaults.SampleRate,
            Window = map.Duration("window") ?? defaults.Window,
            RangeG = (int)(range ?? defaults.RangeG),
            Inputs = inputs,
            RetryDelay = map.Duration("retryDelay") ?? defaults.RetryDelay,
            MaxRetryDelay = map.Duration("maxRetryDelay") ?? defaults.MaxRetryDelay,
        };
    }

    private static Dictionary<string, AnalogInputDefinition> ParseInputs(MappingReader device, ConfigContext context)
    {
        var inputs = new Dictionary<string, AnalogInputDefinition>(StringComparer.Ordinal);
        if (device.Mapping("inputs") is not { } node)
        {
            return inputs;
        }

        var channels = GpioNames.ChannelsOf(SensorType.Ads1115).ToArray();
        var map = new MappingReader(node, device.PathOf("inputs"), context, channels);
        foreach (var channel in channels)
        {
            if (map.Mapping(channel) is not { } inputNode)
            {
                continue;
            }

            var input = new MappingReader(inputNode, map.PathOf(channel), context, "input", "low", "high", "shuntOhms", "dividerRatio", "inputLow", "inputHigh");
            var high = input.Double("high", required: true);
            var defaults = new AnalogInputDefinition { High = 1 };
            var definition = new AnalogInputDefinition
            {
                Input = input.Choice("input", GpioNames.InputKinds, "input kind") ?? defaults.Input,
                Low = input.Double("low") ?? defaults.Low,
                High = high ?? 1,
                ShuntOhms = input.Double("shuntOhms", 1, 10_000) ?? defaults.ShuntOhms,
                DividerRatio = input.Double("dividerRatio", 0.01, 1) ?? defaults.DividerRatio,
                InputLow = input.Double("inputLow", -6.144, 6.144) ?? defaults.InputLow,
                InputHigh = input.Double("inputHigh", -6.144, 6.144) ?? defaults.InputHigh,
            };
            if (high is not null && high == definition.Low)
            {
                context.Error(input.Get("high"), input.PathOf("high"), "high must differ from low (the scale would divide by zero)");
                continue;
            }

            if (definition.Input == AnalogInputKind.Current4To20MilliAmps && definition.ShuntOhms * 0.020 > 6.144)
            {
                context.Error(input.Get("shuntOhms"), input.PathOf("shuntOhms"), $"{definition.ShuntOhms} Ω gives {definition.ShuntOhms * 0.020:0.##} V at 20 mA, above the ADC's 6.144 V range");
                continue;
            }

            if (high is not null)
            {
                context.RememberPath(definition, input.Path);
                inputs[channel] = definition;
            }
        }

        return inputs;
    }
}
