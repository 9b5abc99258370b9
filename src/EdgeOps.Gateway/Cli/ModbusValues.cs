using System.Globalization;
using EdgeOps.Modbus;

namespace EdgeOps.Gateway.Cli;

/// <summary>Reads <c>count</c> values of one type from consecutive addresses and formats them, for read and watch.</summary>
internal sealed class ModbusValues(ModbusTable table, ushort address, int count, ModbusDataType type, ModbusWordOrder words, ModbusByteOrder bytes, byte unit)
{
    private readonly int _width = table.IsBits() ? 1 : type.RegisterCount();

    /// <summary>Total registers (or bits) the read spans.</summary>
    public int Span => count * _width;

    public static ModbusValues From(ModbusCliArguments args, ModbusTable table, ushort address)
    {
        var type = args.Type(table);
        var count = args.IntOption("count", 1, 1, 2000);
        var values = new ModbusValues(table, address, count, type, args.WordOrder, args.ByteOrder, args.Unit);
        var limit = table.MaxPerRead();
        return values.Span > limit || address + values.Span > 65536
            ? throw new FormatException($"--count {count} of {type.Name()} spans {values.Span} {(table.IsBits() ? "bits" : "registers")}: one read takes at most {limit}, up to address 65535")
            : values;
    }

    /// <summary>One line per value: <c>holding 100 = 123.456  [0x42F6 0xE979]</c>.</summary>
    public async Task<IReadOnlyList<string>> ReadAsync(ModbusClient client, CancellationToken cancellationToken)
    {
        var lines = new List<string>(count);
        if (table.IsBits())
        {
            var bits = new bool[Span];
            await client.ReadBitsAsync(table, unit, address, bits, cancellationToken);
            for (var i = 0; i < count; i++)
            {
                lines.Add(string.Create(CultureInfo.InvariantCulture, $"{table.Name()} {address + i} = {(bits[i] ? 1 : 0)}"));
            }

            return lines;
        }

        var registers = new ushort[Span];
        await client.ReadRegistersAsync(table, unit, address, registers, cancellationToken);
        for (var i = 0; i < count; i++)
        {
            var slice = registers.AsSpan(i * _width, _width);
            var value = ModbusValueCodec.Decode(slice, type, words, bytes);
            var raw = string.Join(' ', slice.ToArray().Select(r => "0x" + r.ToString("X4", CultureInfo.InvariantCulture)));
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{table.Name()} {address + (i * _width)} = {value.ToString("R", CultureInfo.InvariantCulture)}  [{raw}]"));
        }

        return lines;
    }
}
