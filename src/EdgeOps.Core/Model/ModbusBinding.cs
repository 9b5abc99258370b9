namespace EdgeOps.Core.Model;

/// <summary>
/// A signal read from a Modbus TCP device:
/// <c>source: { modbus: { device: comp1, table: holding, address: 100, type: float32, wordOrder: little, scale: 0.1 } }</c>.
/// Table, type and word order are kept as the file spells them; EdgeOps.Modbus owns those names and the config
/// loader has checked them against it.
/// </summary>
public sealed record ModbusBinding : SourceBinding
{
    public override string Kind => "modbus";

    /// <summary>Name of a device under <c>sources.modbus.devices</c>.</summary>
    public required string Device { get; init; }

    /// <summary>holding, input, coil or discrete.</summary>
    public required string Table { get; init; }

    /// <summary>Zero-based protocol address (register 40001 of the old notation is holding address 0).</summary>
    public required int Address { get; init; }

    /// <summary>int16, uint16, int32, uint32, float32, int64, float64, bool or bit. Default: uint16 for registers, bool for bits.</summary>
    public required string Type { get; init; }

    /// <summary>For <c>type: bit</c>: the bit of the register, 0 (least significant) to 15.</summary>
    public int? Bit { get; init; }

    /// <summary>Order of the registers of a 32- or 64-bit value: big (most significant first, the default) or little.</summary>
    public string WordOrder { get; init; } = "big";

    /// <summary>Engineering value = raw × scale + offset.</summary>
    public double Scale { get; init; } = 1;

    /// <summary>Engineering value = raw × scale + offset.</summary>
    public double Offset { get; init; }
}
