namespace EdgeOps.Modbus;

/// <summary>How a value is laid out in registers (or a bit).</summary>
public enum ModbusDataType
{
    /// <summary>One register, two's complement.</summary>
    Int16,

    /// <summary>One register, unsigned.</summary>
    UInt16,

    /// <summary>Two registers, two's complement.</summary>
    Int32,

    /// <summary>Two registers, unsigned.</summary>
    UInt32,

    /// <summary>Two registers, IEEE 754 single precision.</summary>
    Float32,

    /// <summary>Four registers, two's complement.</summary>
    Int64,

    /// <summary>Four registers, IEEE 754 double precision.</summary>
    Float64,

    /// <summary>A coil or discrete input; in a register, any non-zero value is true.</summary>
    Bool,

    /// <summary>One bit (0 = least significant) of a register: status words.</summary>
    Bit,
}

/// <summary>Order of the registers of a multi-register value.</summary>
public enum ModbusWordOrder
{
    /// <summary>Most significant register first (the Modbus convention, "ABCD").</summary>
    Big,

    /// <summary>Least significant register first (many PLCs, "CDAB").</summary>
    Little,
}

/// <summary>Order of the two bytes inside each register.</summary>
public enum ModbusByteOrder
{
    /// <summary>High byte first, as the protocol sends it.</summary>
    Big,

    /// <summary>Bytes swapped inside each register ("BADC" with big word order).</summary>
    Little,
}

/// <summary>Names, sizes and table fit of <see cref="ModbusDataType"/>s; parsing of the line-file spellings.</summary>
public static class ModbusDataTypes
{
    private static readonly Dictionary<string, ModbusDataType> ByName = new(StringComparer.Ordinal)
    {
        ["int16"] = ModbusDataType.Int16,
        ["uint16"] = ModbusDataType.UInt16,
        ["int32"] = ModbusDataType.Int32,
        ["uint32"] = ModbusDataType.UInt32,
        ["float32"] = ModbusDataType.Float32,
        ["int64"] = ModbusDataType.Int64,
        ["float64"] = ModbusDataType.Float64,
        ["bool"] = ModbusDataType.Bool,
        ["bit"] = ModbusDataType.Bit,
    };

    /// <summary>Every type name <see cref="TryParse"/> accepts, in the order the docs list them.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. ByName.Keys];

    /// <summary>Parses a lower-case type name (int16, uint16, int32, uint32, float32, int64, float64, bool, bit).</summary>
    public static bool TryParse(string? text, out ModbusDataType type) => ByName.TryGetValue(text ?? string.Empty, out type);

    /// <summary>The lower-case name used in configuration.</summary>
    public static string Name(this ModbusDataType type) => type.ToString().ToLowerInvariant();

    /// <summary>Registers (or bits, for <see cref="ModbusDataType.Bool"/> in a bit table) the value occupies.</summary>
    public static int RegisterCount(this ModbusDataType type) => type switch
    {
        ModbusDataType.Int32 or ModbusDataType.UInt32 or ModbusDataType.Float32 => 2,
        ModbusDataType.Int64 or ModbusDataType.Float64 => 4,
        _ => 1,
    };

    /// <summary>True when a value of the type can be read from the table (bit tables hold only bool).</summary>
    public static bool FitsTable(this ModbusDataType type, ModbusTable table) =>
        table.IsBits() ? type == ModbusDataType.Bool : true;

    /// <summary>Parses word order: big or little.</summary>
    public static bool TryParseWordOrder(string? text, out ModbusWordOrder order)
    {
        order = text == "little" ? ModbusWordOrder.Little : ModbusWordOrder.Big;
        return text is "big" or "little";
    }

    /// <summary>Parses byte order: big or little.</summary>
    public static bool TryParseByteOrder(string? text, out ModbusByteOrder order)
    {
        order = text == "little" ? ModbusByteOrder.Little : ModbusByteOrder.Big;
        return text is "big" or "little";
    }
}
