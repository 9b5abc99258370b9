namespace EdgeOps.Modbus;

/// <summary>The four data tables of the Modbus data model (Modbus Application Protocol V1.1b3, §4.3).</summary>
public enum ModbusTable
{
    /// <summary>Read/write single bits (function codes 1, 5, 15).</summary>
    Coil,

    /// <summary>Read-only single bits (function code 2).</summary>
    DiscreteInput,

    /// <summary>Read/write 16-bit registers (function codes 3, 6, 16).</summary>
    HoldingRegister,

    /// <summary>Read-only 16-bit registers (function code 4).</summary>
    InputRegister,
}

/// <summary>Names, function codes and per-request limits of the <see cref="ModbusTable"/>s.</summary>
public static class ModbusTables
{
    /// <summary>Most registers one read (function code 3 or 4) may ask for: 125 × 2 bytes fit the 253-byte PDU.</summary>
    public const int MaxRegistersPerRead = 125;

    /// <summary>Most bits one read (function code 1 or 2) may ask for.</summary>
    public const int MaxBitsPerRead = 2000;

    /// <summary>Most registers one write (function code 16) may carry.</summary>
    public const int MaxRegistersPerWrite = 123;

    /// <summary>Most coils one write (function code 15) may carry.</summary>
    public const int MaxCoilsPerWrite = 1968;

    /// <summary>The name used in configuration and on the command line: coil, discrete, holding, input.</summary>
    public static string Name(this ModbusTable table) => table switch
    {
        ModbusTable.Coil => "coil",
        ModbusTable.DiscreteInput => "discrete",
        ModbusTable.HoldingRegister => "holding",
        ModbusTable.InputRegister => "input",
        _ => throw new ArgumentOutOfRangeException(nameof(table), table, null),
    };

    /// <summary>Every table name <see cref="TryParse"/> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = ["holding", "input", "coil", "discrete"];

    /// <summary>Parses a table name (<c>holding</c>, <c>input</c>, <c>coil</c>, <c>discrete</c>; case-sensitive, as in the line file).</summary>
    public static bool TryParse(string? text, out ModbusTable table)
    {
        switch (text)
        {
            case "coil":
                table = ModbusTable.Coil;
                return true;
            case "discrete":
                table = ModbusTable.DiscreteInput;
                return true;
            case "holding":
                table = ModbusTable.HoldingRegister;
                return true;
            case "input":
                table = ModbusTable.InputRegister;
                return true;
            default:
                table = default;
                return false;
        }
    }

    /// <summary>True for the bit tables (coils, discrete inputs).</summary>
    public static bool IsBits(this ModbusTable table) => table is ModbusTable.Coil or ModbusTable.DiscreteInput;

    /// <summary>The largest count one read of this table may ask for.</summary>
    public static int MaxPerRead(this ModbusTable table) => table.IsBits() ? MaxBitsPerRead : MaxRegistersPerRead;

    /// <summary>The read function code of the table.</summary>
    public static byte ReadFunction(this ModbusTable table) => table switch
    {
        ModbusTable.Coil => ModbusFunctions.ReadCoils,
        ModbusTable.DiscreteInput => ModbusFunctions.ReadDiscreteInputs,
        ModbusTable.HoldingRegister => ModbusFunctions.ReadHoldingRegisters,
        ModbusTable.InputRegister => ModbusFunctions.ReadInputRegisters,
        _ => throw new ArgumentOutOfRangeException(nameof(table), table, null),
    };
}
