using System.Globalization;
using System.Text.RegularExpressions;

namespace EdgeOps.Sources.Sensors;

/// <summary>A sensor bus as written in config: <c>i2c-1</c> (/dev/i2c-1) or <c>spi0.0</c> (/dev/spidev0.0).</summary>
public readonly partial record struct SensorBus(bool IsSpi, int Bus, int ChipSelect)
{
    public const string Expected = "i2c-N (e.g. i2c-1) or spiB.C (e.g. spi0.0)";

    public static bool TryParse(string text, out SensorBus bus)
    {
        var m = Pattern().Match(text);
        bus = default;
        if (!m.Success)
        {
            return false;
        }

        bus = m.Groups["i2c"].Success
            ? new SensorBus(false, int.Parse(m.Groups["i2c"].Value, CultureInfo.InvariantCulture), -1)
            : new SensorBus(true, int.Parse(m.Groups["spi"].Value, CultureInfo.InvariantCulture), int.Parse(m.Groups["cs"].Value, CultureInfo.InvariantCulture));
        return true;
    }

    public override string ToString() => IsSpi ? $"spi{Bus}.{ChipSelect}" : $"i2c-{Bus}";

    [GeneratedRegex(@"^(?:i2c-(?<i2c>[0-9]{1,3})|spi(?<spi>[0-9]{1,2})\.(?<cs>[0-9]{1,2}))$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
