using EdgeOps.Core.Model;
using EdgeOps.Gateway.Configuration.Bindings;
using EdgeOps.Modbus;
using YamlDotNet.RepresentationModel;

namespace EdgeOps.Gateway.Configuration.Modbus;

/// <summary>
/// <c>source: { modbus: { device: comp1, table: holding, address: 100, type: float32, wordOrder: little, scale: 0.1,
/// offset: 0 } }</c>, or a status-word bit: <c>{ device: comp1, table: holding, address: 10, type: bit, bit: 3 }</c>.
/// Table, type and word order are checked against EdgeOps.Modbus's names; a type that does not fit the table or runs
/// past address 65535 is an error naming the key. Rules across signals (overlaps, unknown device) are in
/// <see cref="ModbusDeviceValidator"/>.
/// </summary>
internal sealed class ModbusBindingParser : IBindingParser
{
    public string Kind => "modbus";

    public SourceBinding? Parse(YamlNode node, string keyPath, ConfigContext context)
    {
        var map = MappingReader.Open(node, keyPath, context, "device", "table", "address", "type", "bit", "wordOrder", "scale", "offset");
        if (map is null)
        {
            return null;
        }

        var device = map.Id("device", required: true);
        var tableText = map.String("table", required: true);
        var address = map.Integer("address", 0, 65535, required: true);
        var ok = device is not null && address is not null;
        ModbusTable table = default;
        if (tableText is not null && !ModbusTables.TryParse(tableText, out table))
        {
            context.Error(map.Get("table"), map.PathOf("table"), MappingReader.UnknownName("table", tableText, ModbusTables.Names));
            ok = false;
        }

        ok &= tableText is not null;
        var typeText = map.String("type") ?? (table.IsBits() ? "bool" : "uint16");
        if (!ModbusDataTypes.TryParse(typeText, out var type))
        {
            context.Error(map.Get("type"), map.PathOf("type"), MappingReader.UnknownName("type", typeText, ModbusDataTypes.Names));
            return null;
        }

        if (ok && !type.FitsTable(table))
        {
            context.Error(map.Get("type"), map.PathOf("type"), $"type {typeText} does not fit the {tableText} table: coils and discrete inputs hold single bits (type bool)");
            ok = false;
        }

        if (ok && address + type.RegisterCount() > 65536)
        {
            context.Error(map.Get("address"), map.PathOf("address"),
                $"{typeText} at address {address} needs {type.RegisterCount()} registers and runs past the last address 65535");
            ok = false;
        }

        var bit = (int?)map.Integer("bit", 0, 15);
        if (type == ModbusDataType.Bit && bit is null && !map.Has("bit"))
        {
            context.Error(node, map.PathOf("bit"), "missing (required with type: bit): the bit of the register, 0..15");
            ok = false;
        }
        else if (type != ModbusDataType.Bit && map.Has("bit"))
        {
            context.Error(map.Get("bit"), map.PathOf("bit"), $"only type bit reads one bit of a register; type is {typeText}");
            ok = false;
        }

        var wordOrder = map.String("wordOrder");
        if (wordOrder is not null && !ModbusDataTypes.TryParseWordOrder(wordOrder, out _))
        {
            context.Error(map.Get("wordOrder"), map.PathOf("wordOrder"), MappingReader.UnknownName("word order", wordOrder, ["big", "little"]));
            ok = false;
        }

        var scale = map.Double("scale");
        if (scale == 0)
        {
            context.Error(map.Get("scale"), map.PathOf("scale"), "0 would make every value 0");
            ok = false;
        }

        var offset = map.Double("offset");
        if (!ok)
        {
            return null;
        }

        return new ModbusBinding
        {
            Device = device!,
            Table = tableText!,
            Address = (int)address!.Value,
            Type = typeText,
            Bit = bit,
            WordOrder = wordOrder ?? "big",
            Scale = scale ?? 1,
            Offset = offset ?? 0,
        };
    }
}
