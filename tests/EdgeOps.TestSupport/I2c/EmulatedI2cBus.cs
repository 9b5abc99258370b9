using System.Device.I2c;

namespace EdgeOps.TestSupport.I2c;

/// <summary>
/// An I2C bus in memory: chips attached at addresses, <see cref="I2cDevice"/>s opened on it the way
/// <c>I2cDevice.Create</c> opens <c>/dev/i2c-N</c>. A transfer to an address with no chip, or to an unplugged one,
/// throws <see cref="IOException"/> like Linux's "Remote I/O error" (no ACK), so sensor code sees the real failure.
/// </summary>
public sealed class EmulatedI2cBus
{
    private readonly Lock _lock = new();
    private readonly Dictionary<int, I2cRegisterChip> _chips = [];
    private readonly HashSet<int> _unplugged = [];

    public EmulatedI2cBus(int busId = 1)
    {
        BusId = busId;
    }

    public int BusId { get; }

    /// <summary>Transfers the bus has carried (for tests that check retries happen).</summary>
    public long Transfers { get; private set; }

    public T Attach<T>(int address, T chip)
        where T : I2cRegisterChip
    {
        lock (_lock)
        {
            _chips[address] = chip;
        }

        return chip;
    }

    /// <summary>The chip stops acknowledging (a cable pulled, a brown-out).</summary>
    public void Unplug(int address)
    {
        lock (_lock)
        {
            _unplugged.Add(address);
        }
    }

    /// <summary>The chip answers again; like a real power cycle, its registers return to their reset values.</summary>
    public void Replug(int address)
    {
        lock (_lock)
        {
            _unplugged.Remove(address);
            _chips[address].PowerOnReset();
        }
    }

    /// <summary>Opens a device handle, as <c>I2cDevice.Create(new I2cConnectionSettings(bus, address))</c> would.</summary>
    public I2cDevice Open(int address) => new Handle(this, new I2cConnectionSettings(BusId, address));

    private I2cRegisterChip Chip(int address)
    {
        lock (_lock)
        {
            Transfers++;
            if (!_chips.TryGetValue(address, out var chip) || _unplugged.Contains(address))
            {
                throw new IOException($"Error 121 performing I2C data transfer (Remote I/O error): no device acknowledged address 0x{address:X2} on bus {BusId}.");
            }

            return chip;
        }
    }

    private sealed class Handle(EmulatedI2cBus bus, I2cConnectionSettings settings) : I2cDevice
    {
        public override I2cConnectionSettings ConnectionSettings => settings;

        public override void Read(Span<byte> buffer) => bus.Chip(settings.DeviceAddress).Read(buffer);

        public override void Write(ReadOnlySpan<byte> buffer) => bus.Chip(settings.DeviceAddress).Write(buffer);

        public override void WriteRead(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer)
        {
            var chip = bus.Chip(settings.DeviceAddress);
            chip.Write(writeBuffer);
            chip.Read(readBuffer);
        }
    }
}
