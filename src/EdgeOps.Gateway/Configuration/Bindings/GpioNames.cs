using EdgeOps.Core.Model;

namespace EdgeOps.Gateway.Configuration.Bindings;

/// <summary>The words GPIO, sensor and output config uses for its enums.</summary>
internal static class GpioNames
{
    public static readonly IReadOnlyDictionary<string, GpioEdge> Edges =
        new Dictionary<string, GpioEdge>(StringComparer.Ordinal) { ["rising"] = GpioEdge.Rising, ["falling"] = GpioEdge.Falling, ["both"] = GpioEdge.Both };

    public static readonly IReadOnlyDictionary<string, GpioPull> Pulls =
        new Dictionary<string, GpioPull>(StringComparer.Ordinal) { ["none"] = GpioPull.None, ["up"] = GpioPull.Up, ["down"] = GpioPull.Down };

    public static readonly IReadOnlyDictionary<string, GpioDriverKind> Drivers =
        new Dictionary<string, GpioDriverKind>(StringComparer.Ordinal) { ["auto"] = GpioDriverKind.Auto, ["libgpiod"] = GpioDriverKind.Libgpiod, ["sysfs"] = GpioDriverKind.Sysfs };

    public static readonly IReadOnlyDictionary<string, SensorType> SensorTypes =
        new Dictionary<string, SensorType>(StringComparer.Ordinal) { ["adxl345"] = SensorType.Adxl345, ["bme280"] = SensorType.Bme280, ["ads1115"] = SensorType.Ads1115 };

    public static readonly IReadOnlyDictionary<string, AnalogInputKind> InputKinds =
        new Dictionary<string, AnalogInputKind>(StringComparer.Ordinal)
        {
            ["4-20mA"] = AnalogInputKind.Current4To20MilliAmps,
            ["0-10V"] = AnalogInputKind.Voltage0To10,
            ["voltage"] = AnalogInputKind.Voltage,
        };

    public static readonly IReadOnlyDictionary<string, LampMode> LampModes =
        new Dictionary<string, LampMode>(StringComparer.Ordinal) { ["off"] = LampMode.Off, ["on"] = LampMode.On, ["flash"] = LampMode.Flash };

    public static readonly IReadOnlyDictionary<string, StateCategory> States =
        new Dictionary<string, StateCategory>(StringComparer.Ordinal)
        {
            ["running"] = StateCategory.Running,
            ["idle"] = StateCategory.Idle,
            ["changeover"] = StateCategory.Changeover,
            ["down"] = StateCategory.Down,
            ["plannedStop"] = StateCategory.PlannedStop,
            ["offline"] = StateCategory.Offline,
        };

    /// <summary>Channels each sensor type offers to <c>source: { sensor: { channel: ... } }</c>.</summary>
    public static IReadOnlyList<string> ChannelsOf(SensorType type) => type switch
    {
        SensorType.Adxl345 => ["x", "y", "z", "magnitude"],
        SensorType.Bme280 => ["temperature", "pressure", "humidity"],
        _ => ["ain0", "ain1", "ain2", "ain3"],
    };

    /// <summary>The I2C addresses a device type can be strapped to.</summary>
    public static IReadOnlyList<int> AddressesOf(SensorType type) => type switch
    {
        SensorType.Bme280 => [0x76, 0x77],
        SensorType.Ads1115 => [0x48, 0x49, 0x4A, 0x4B],
        _ => [],
    };

    public static string Hex(int address) => $"0x{address:X2}";
}
