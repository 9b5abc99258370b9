using System.Device.Spi;

namespace EdgeOps.TestSupport.I2c;

/// <summary>
/// An Analog Devices ADXL345 on SPI (the Iot.Device.Bindings driver for it speaks SPI only; the chip's register map
/// is the same on I2C, hence this folder). Register map per datasheet Rev. G, table 19: DEVID 0xE5 at 0x00,
/// BW_RATE 0x2C (reset 0x0A), POWER_CTL 0x2D (Measure bit D3), DATA_FORMAT 0x31 (FULL_RES D3, Range D1:D0), and
/// DATAX0..DATAZ1 at 0x32–0x37, two's complement little-endian. SPI framing (figure 37): the first byte is the
/// address with R/W in bit 7 and multi-byte MB in bit 6. Data registers hold zero until Measure is set; the
/// acceleration is encoded at read time with the range and resolution the driver configured (10-bit: 256 LSB/g at
/// ±2 g, halving per range step; full resolution: 256 LSB/g at every range). Unplugged, MISO floats high and
/// every byte reads 0xFF, as on a real bus (SPI has no acknowledge).
/// </summary>
public sealed class EmulatedAdxl345 : SpiDevice
{
    private readonly byte[] _registers = new byte[64];
    private readonly SpiConnectionSettings _settings;
    private (double X, double Y, double Z) _g;

    public EmulatedAdxl345(int busId = 0, int chipSelect = 0)
    {
        _settings = new SpiConnectionSettings(busId, chipSelect) { Mode = SpiMode.Mode3, ClockFrequency = 5_000_000 };
        PowerOnReset();
    }

    public override SpiConnectionSettings ConnectionSettings => _settings;

    public bool Unplugged { get; set; }

    public byte DataFormat => _registers[0x31];

    public byte PowerControl => _registers[0x2D];

    /// <summary>Sets the acceleration the chip senses, in g.</summary>
    public void SetAcceleration(double x, double y, double z)
    {
        lock (_registers)
        {
            _g = (x, y, z);
        }
    }

    public void PowerOnReset()
    {
        lock (_registers)
        {
            Array.Clear(_registers);
            _registers[0x00] = 0xE5;
            _registers[0x2C] = 0x0A;
        }
    }

    public override void Read(Span<byte> buffer) => buffer.Fill(Unplugged ? (byte)0xFF : (byte)0x00);

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (Unplugged || buffer.Length < 2)
        {
            return;
        }

        var address = buffer[0] & 0x3F;
        var multi = (buffer[0] & 0x40) != 0;
        lock (_registers)
        {
            for (var i = 1; i < buffer.Length; i++)
            {
                WriteRegister(multi ? address + i - 1 : address, buffer[i]);
            }
        }
    }

    public override void TransferFullDuplex(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer)
    {
        if (Unplugged)
        {
            readBuffer.Fill(0xFF);
            return;
        }

        if (writeBuffer.Length == 0)
        {
            return;
        }

        var address = writeBuffer[0] & 0x3F;
        var read = (writeBuffer[0] & 0x80) != 0;
        var multi = (writeBuffer[0] & 0x40) != 0;
        if (!read)
        {
            Write(writeBuffer);
            readBuffer.Clear();
            return;
        }

        lock (_registers)
        {
            EncodeData();
            readBuffer[0] = 0x00;
            for (var i = 1; i < readBuffer.Length; i++)
            {
                readBuffer[i] = _registers[(multi ? address + i - 1 : address) & 0x3F];
            }
        }
    }

    private void WriteRegister(int register, byte value)
    {
        // Read-only: DEVID, INT_SOURCE, DATAX0..DATAZ1, FIFO_STATUS.
        if (register is 0x00 or 0x30 or (>= 0x32 and <= 0x37) or 0x39)
        {
            return;
        }

        _registers[register & 0x3F] = value;
    }

    private void EncodeData()
    {
        var measuring = (_registers[0x2D] & 0x08) != 0;
        var format = _registers[0x31];
        var range = format & 0x03;
        var fullRes = (format & 0x08) != 0;
        var lsbPerG = fullRes ? 256.0 : 256.0 / (1 << range);
        // 10 bits in fixed resolution; full resolution grows to 13 bits at ±16 g.
        var bits = fullRes ? 10 + range : 10;
        var max = (1 << (bits - 1)) - 1;
        Span<double> axes = [_g.X, _g.Y, _g.Z];
        for (var i = 0; i < 3; i++)
        {
            var code = measuring ? (short)Math.Clamp(Math.Round(axes[i] * lsbPerG), -max - 1, max) : (short)0;
            _registers[0x32 + (2 * i)] = (byte)code;
            _registers[0x33 + (2 * i)] = (byte)(code >> 8);
        }
    }
}
