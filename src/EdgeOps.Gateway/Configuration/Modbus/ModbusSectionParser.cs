using EdgeOps.Core.Model;
using EdgeOps.Gateway.Configuration.Sources;
using EdgeOps.Modbus;
using YamlDotNet.RepresentationModel;

namespace EdgeOps.Gateway.Configuration.Modbus;

/// <summary>
/// <c>sources: modbus: { devices: [ { name: comp1, host: 10.0.0.7, port: 502, unitId: 1, pollInterval: 1s,
/// maxRegistersPerRead: 125, maxGap: 10, byteOrder: big, timeout: 1s, maxInFlight: 1 } ] }</c>.
/// </summary>
internal sealed class ModbusSectionParser : ISourcesSectionParser
{
    public string Key => "modbus";

    public SourcesDefinition Parse(YamlNode node, string keyPath, SourcesDefinition sources, ConfigContext context)
    {
        var devices = NamedItemList.Parse(node, keyPath, context, "devices", "device",
            ["name", "host", "port", "unitId", "pollInterval", "maxRegistersPerRead", "maxGap", "byteOrder", "timeout", "maxInFlight"],
            (d, name, path) => Device(d, name, path, context));
        return devices is null ? sources : sources with { Modbus = new ModbusSourceDefinition { Devices = devices } };
    }

    private static ModbusDeviceDefinition? Device(MappingReader d, string? name, string path, ConfigContext context)
    {
        var host = d.String("host", required: true);
        var byteOrder = d.String("byteOrder");
        if (byteOrder is not null && !ModbusDataTypes.TryParseByteOrder(byteOrder, out _))
        {
            context.Error(d.Get("byteOrder"), d.PathOf("byteOrder"), MappingReader.UnknownName("byte order", byteOrder, ["big", "little"]));
        }

        if (name is null || host is null)
        {
            return null;
        }

        var defaults = new ModbusDeviceDefinition { Name = name, Host = host };
        var device = defaults with
        {
            Port = (int?)d.Integer("port", 1, 65535) ?? defaults.Port,
            UnitId = (byte?)d.Integer("unitId", 0, 255) ?? defaults.UnitId,
            PollInterval = d.Duration("pollInterval") ?? defaults.PollInterval,
            MaxRegistersPerRead = (int?)d.Integer("maxRegistersPerRead", 4, ModbusTables.MaxRegistersPerRead) ?? defaults.MaxRegistersPerRead,
            MaxGap = (int?)d.Integer("maxGap", 0, ModbusTables.MaxRegistersPerRead) ?? defaults.MaxGap,
            ByteOrder = byteOrder ?? defaults.ByteOrder,
            Timeout = d.Duration("timeout") ?? defaults.Timeout,
            MaxInFlight = (int?)d.Integer("maxInFlight", 1, 64) ?? defaults.MaxInFlight,
        };
        context.RememberPath(device, path);
        return device;
    }
}
