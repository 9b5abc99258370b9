namespace EdgeOps.Modbus;

/// <summary>
/// Turns registers into numbers and numbers into registers for every <see cref="ModbusDataType"/>, in either word
/// and byte order. Allocation-free; the poller calls it for every signal on every poll.
/// </summary>
public static class ModbusValueCodec
{
    /// <summary>
    /// The value of <paramref name="type"/> held in <paramref name="registers"/> (at least
    /// <see cref="ModbusDataTypes.RegisterCount"/> of them). <paramref name="bit"/> is the bit of a <see cref="ModbusDataType.Bit"/>.
    /// </summary>
    public static double Decode(ReadOnlySpan<ushort> registers, ModbusDataType type, ModbusWordOrder wordOrder = ModbusWordOrder.Big,
        ModbusByteOrder byteOrder = ModbusByteOrder.Big, int bit = 0)
    {
        var raw = Combine(registers, type.RegisterCount(), wordOrder, byteOrder);
        return type switch
        {
            ModbusDataType.Int16 => (short)raw,
            ModbusDataType.UInt16 => (ushort)raw,
            ModbusDataType.Int32 => (int)raw,
            ModbusDataType.UInt32 => (uint)raw,
            ModbusDataType.Float32 => BitConverter.UInt32BitsToSingle((uint)raw),
            ModbusDataType.Int64 => (long)raw,
            ModbusDataType.Float64 => BitConverter.UInt64BitsToDouble(raw),
            ModbusDataType.Bool => raw != 0 ? 1 : 0,
            ModbusDataType.Bit => ((raw >> (bit & 15)) & 1) != 0 ? 1 : 0,
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
        };
    }

    /// <summary>
    /// Writes <paramref name="value"/> as <paramref name="type"/> into <paramref name="registers"/>: integers are rounded
    /// and must fit the type. Bit and bool set register value 1 or 0.
    /// </summary>
    /// <exception cref="OverflowException">The value does not fit the type.</exception>
    public static void Encode(double value, ModbusDataType type, Span<ushort> registers, ModbusWordOrder wordOrder = ModbusWordOrder.Big,
        ModbusByteOrder byteOrder = ModbusByteOrder.Big)
    {
        var rounded = Math.Round(value, MidpointRounding.AwayFromZero);
        ulong raw = type switch
        {
            ModbusDataType.Int16 => (ushort)checked((short)rounded),
            ModbusDataType.UInt16 => checked((ushort)rounded),
            ModbusDataType.Int32 => (uint)checked((int)rounded),
            ModbusDataType.UInt32 => checked((uint)rounded),
            ModbusDataType.Float32 => BitConverter.SingleToUInt32Bits((float)value),
            ModbusDataType.Int64 => (ulong)checked((long)rounded),
            ModbusDataType.Float64 => BitConverter.DoubleToUInt64Bits(value),
            ModbusDataType.Bool or ModbusDataType.Bit => value != 0 ? 1UL : 0UL,
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
        };
        var count = type.RegisterCount();
        for (var i = 0; i < count; i++)
        {
            // Word i of the value, most significant first.
            var word = (ushort)(raw >> (16 * (count - 1 - i)));
            if (byteOrder == ModbusByteOrder.Little)
            {
                word = (ushort)((word >> 8) | (word << 8));
            }

            registers[wordOrder == ModbusWordOrder.Big ? i : count - 1 - i] = word;
        }
    }

    private static ulong Combine(ReadOnlySpan<ushort> registers, int count, ModbusWordOrder wordOrder, ModbusByteOrder byteOrder)
    {
        if (registers.Length < count)
        {
            throw new ArgumentException($"{count} register(s) needed, {registers.Length} given", nameof(registers));
        }

        ulong raw = 0;
        for (var i = 0; i < count; i++)
        {
            var word = registers[wordOrder == ModbusWordOrder.Big ? i : count - 1 - i];
            if (byteOrder == ModbusByteOrder.Little)
            {
                word = (ushort)((word >> 8) | (word << 8));
            }

            raw = (raw << 16) | word;
        }

        return raw;
    }
}
