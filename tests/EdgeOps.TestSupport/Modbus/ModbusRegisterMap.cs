using System.Globalization;
using System.Text.Json.Nodes;

namespace EdgeOps.TestSupport.Modbus;

/// <summary>
/// What a test's pymodbus server holds: per unit id, sparse holding/input registers, coils and discrete inputs.
/// Addresses not set are unmapped: the server answers IllegalDataAddress for any read that touches one.
/// </summary>
public sealed class ModbusRegisterMap
{
    private readonly SortedDictionary<int, UnitMap> _units = [];

    /// <summary>The unit's tables, created on first use.</summary>
    public UnitMap Unit(byte unit)
    {
        if (!_units.TryGetValue(unit, out var map))
        {
            map = new UnitMap();
            _units[unit] = map;
        }

        return map;
    }

    /// <summary>The map as the server script reads it.</summary>
    public string ToJson()
    {
        var units = new JsonObject();
        foreach (var (id, map) in _units)
        {
            units[id.ToString(CultureInfo.InvariantCulture)] = new JsonObject
            {
                ["hr"] = Table(map.Holding, v => JsonValue.Create(v)),
                ["ir"] = Table(map.Input, v => JsonValue.Create(v)),
                ["co"] = Table(map.Coils, v => JsonValue.Create(v)),
                ["di"] = Table(map.Discrete, v => JsonValue.Create(v)),
            };
        }

        return new JsonObject { ["units"] = units }.ToJsonString();
    }

    private static JsonObject Table<T>(SortedDictionary<int, T> table, Func<T, JsonNode?> value)
    {
        var json = new JsonObject();
        foreach (var (address, v) in table)
        {
            json[address.ToString(CultureInfo.InvariantCulture)] = value(v);
        }

        return json;
    }

    /// <summary>The four tables of one unit id (zero-based protocol addresses).</summary>
    public sealed class UnitMap
    {
        public SortedDictionary<int, ushort> Holding { get; } = [];

        public SortedDictionary<int, ushort> Input { get; } = [];

        public SortedDictionary<int, bool> Coils { get; } = [];

        public SortedDictionary<int, bool> Discrete { get; } = [];

        /// <summary>Sets consecutive holding registers from <paramref name="address"/>.</summary>
        public UnitMap SetHolding(int address, params ushort[] values)
        {
            for (var i = 0; i < values.Length; i++)
            {
                Holding[address + i] = values[i];
            }

            return this;
        }

        /// <summary>Sets consecutive input registers from <paramref name="address"/>.</summary>
        public UnitMap SetInput(int address, params ushort[] values)
        {
            for (var i = 0; i < values.Length; i++)
            {
                Input[address + i] = values[i];
            }

            return this;
        }
    }
}
