using System.Buffers.Binary;

namespace EdgeOps.TestSupport.I2c;

/// <summary>
/// A Bosch BME280 at its I2C register map (datasheet BST-BME280-DS002, section 5.3 memory map): chip id 0x60 at 0xD0,
/// the trimming parameters dig_T1..dig_P9 at 0x88–0x9F (little-endian words), dig_H1 at 0xA1 and dig_H2..dig_H6 at
/// 0xE1–0xE7 (with dig_H4/dig_H5 sharing the nibbles of 0xE5), control registers 0xF2/0xF4/0xF5, and the burst-read data
/// block press_msb..hum_lsb at 0xF7–0xFE (20-bit pressure and temperature left-aligned, 16-bit humidity).
/// Tests load trimming values and raw ADC outputs; the real Iot.Device.Bindings driver does the compensation.
/// Writes follow the datasheet: (register, value) pairs; reads auto-increment.
/// </summary>
public sealed class EmulatedBme280 : I2cRegisterChip
{
    /// <summary>Trimming values of the compensation example in the Bosch BMP280 datasheet (BST-BMP280-DS001, 3.12),
    /// which the BME280 shares for temperature and pressure: adc_T 519888 gives 25.08 °C (t_fine 128422), adc_P 415148
    /// gives 100653.27 Pa.</summary>
    public static readonly Bme280Trimming DatasheetExample = new(
        T1: 27504, T2: 26435, T3: -1000,
        P1: 36477, P2: -10685, P3: 3024, P4: 2855, P5: 140, P6: -7, P7: 15500, P8: -14600, P9: 6000,
        H1: 75, H2: 362, H3: 0, H4: 313, H5: 50, H6: 30);

    private readonly byte[] _registers = new byte[256];
    private readonly Bme280Trimming _trimming;
    private (int T, int P, int H) _sensed = (0x80000, 0x80000, 0x8000);
    private byte _pointer;

    public EmulatedBme280(Bme280Trimming trimming)
    {
        _trimming = trimming;
        PowerOnReset();
    }

    /// <summary>
    /// Sets the raw ADC outputs of what the chip senses. Like the real chip, the data registers take them only when it
    /// measures: continuously in normal mode, once per forced-mode request; in sleep mode they keep their old values.
    /// </summary>
    public void SetRaw(int adcTemperature, int adcPressure, int adcHumidity)
    {
        lock (_registers)
        {
            _sensed = (adcTemperature, adcPressure, adcHumidity);
            if ((_registers[0xF4] & 0b11) == 0b11)
            {
                Latch();
            }
        }
    }

    private void Latch()
    {
        var (adcTemperature, adcPressure, adcHumidity) = _sensed;

        // press_msb, press_lsb, press_xlsb[7:4]; temp likewise; hum_msb, hum_lsb.
        _registers[0xF7] = (byte)(adcPressure >> 12);
        _registers[0xF8] = (byte)(adcPressure >> 4);
        _registers[0xF9] = (byte)((adcPressure & 0xF) << 4);
        _registers[0xFA] = (byte)(adcTemperature >> 12);
        _registers[0xFB] = (byte)(adcTemperature >> 4);
        _registers[0xFC] = (byte)((adcTemperature & 0xF) << 4);
        _registers[0xFD] = (byte)(adcHumidity >> 8);
        _registers[0xFE] = (byte)adcHumidity;
    }

    /// <summary>ctrl_meas (0xF4): osrs_t[7:5], osrs_p[4:2], mode[1:0].</summary>
    public byte CtrlMeas => _registers[0xF4];

    public override void PowerOnReset()
    {
        Array.Clear(_registers);
        _registers[0xD0] = 0x60;
        var t = _trimming;
        Span<byte> calib = _registers.AsSpan(0x88, 24);
        BinaryPrimitives.WriteUInt16LittleEndian(calib[0..], t.T1);
        BinaryPrimitives.WriteInt16LittleEndian(calib[2..], t.T2);
        BinaryPrimitives.WriteInt16LittleEndian(calib[4..], t.T3);
        BinaryPrimitives.WriteUInt16LittleEndian(calib[6..], t.P1);
        BinaryPrimitives.WriteInt16LittleEndian(calib[8..], t.P2);
        BinaryPrimitives.WriteInt16LittleEndian(calib[10..], t.P3);
        BinaryPrimitives.WriteInt16LittleEndian(calib[12..], t.P4);
        BinaryPrimitives.WriteInt16LittleEndian(calib[14..], t.P5);
        BinaryPrimitives.WriteInt16LittleEndian(calib[16..], t.P6);
        BinaryPrimitives.WriteInt16LittleEndian(calib[18..], t.P7);
        BinaryPrimitives.WriteInt16LittleEndian(calib[20..], t.P8);
        BinaryPrimitives.WriteInt16LittleEndian(calib[22..], t.P9);
        _registers[0xA1] = t.H1;
        BinaryPrimitives.WriteInt16LittleEndian(_registers.AsSpan(0xE1), t.H2);
        _registers[0xE3] = t.H3;
        _registers[0xE4] = (byte)(t.H4 >> 4);
        _registers[0xE5] = (byte)((t.H4 & 0x0F) | ((t.H5 & 0x0F) << 4));
        _registers[0xE6] = (byte)(t.H5 >> 4);
        _registers[0xE7] = (byte)t.H6;
        // Data registers after reset: 0x80000 for pressure and temperature, 0x8000 for humidity (datasheet table 18).
        var sensed = _sensed;
        _sensed = (0x80000, 0x80000, 0x8000);
        Latch();
        _sensed = sensed;
        _pointer = 0;
    }

    protected override void OnWrite(ReadOnlySpan<byte> buffer)
    {
        if (buffer.Length == 1)
        {
            _pointer = buffer[0];
            return;
        }

        // A multi-byte write is (register, value) pairs, not auto-incremented (datasheet 6.2.1).
        for (var i = 0; i + 1 < buffer.Length; i += 2)
        {
            WriteRegister(buffer[i], buffer[i + 1]);
        }
    }

    protected override void OnRead(Span<byte> buffer)
    {
        lock (_registers)
        {
            if ((_registers[0xF4] & 0b11) == 0b11)
            {
                Latch(); // Normal mode: a measurement has completed since the last read.
            }

            for (var i = 0; i < buffer.Length; i++)
            {
                buffer[i] = _registers[(byte)(_pointer + i)];
            }
        }
    }

    private void WriteRegister(byte register, byte value)
    {
        WriteLog.Add((register, value));
        switch (register)
        {
            case 0xE0 when value == 0xB6:
                PowerOnReset();
                break;
            case 0xF4:
                _registers[register] = value;
                if ((value & 0b11) is 0b01 or 0b10)
                {
                    // Forced mode: one measurement, then back to sleep (datasheet 3.3.3).
                    Latch();
                    _registers[register] = (byte)(value & 0b1111_1100);
                }
                else if ((value & 0b11) == 0b11)
                {
                    Latch();
                }

                break;
            case 0xF2 or 0xF5:
                _registers[register] = value;
                break;
            default:
                // Read-only registers ignore writes.
                break;
        }
    }
}

/// <summary>BME280 trimming parameters (datasheet table 16), as the chip stores them.</summary>
public sealed record Bme280Trimming(
    ushort T1, short T2, short T3,
    ushort P1, short P2, short P3, short P4, short P5, short P6, short P7, short P8, short P9,
    byte H1, short H2, byte H3, short H4, short H5, sbyte H6);
