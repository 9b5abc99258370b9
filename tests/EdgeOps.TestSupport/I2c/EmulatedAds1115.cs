using System.Buffers.Binary;

namespace EdgeOps.TestSupport.I2c;

/// <summary>
/// A TI ADS1115 at its I2C registers (datasheet SBAS444, section 9.6): a pointer register selects the 16-bit
/// conversion (0), config (1), Lo_thresh (2) or Hi_thresh (3) register, each read and written MSB first. Writing the
/// config with OS=1 starts a single-shot conversion of the input MUX[14:12] selects at the full scale PGA[11:9] selects;
/// the emulated conversion is instant, so reading the config shows OS=1 (not busy) at once. Inputs are volts set by the test.
/// </summary>
public sealed class EmulatedAds1115 : I2cRegisterChip
{
    private static readonly double[] FullScale = [6.144, 4.096, 2.048, 1.024, 0.512, 0.256, 0.256, 0.256];
    private readonly double[] _inputs = new double[4];
    private readonly ushort[] _registers = new ushort[4];
    private byte _pointer;

    public EmulatedAds1115()
    {
        PowerOnReset();
    }

    /// <summary>Conversions performed (one per OS=1 config write).</summary>
    public int Conversions { get; private set; }

    /// <summary>The config register as last written.</summary>
    public ushort Config => _registers[1];

    /// <summary>Sets the voltage on AIN0..AIN3 (relative to GND).</summary>
    public void SetInput(int channel, double volts)
    {
        lock (_inputs)
        {
            _inputs[channel] = volts;
        }
    }

    public override void PowerOnReset()
    {
        // Reset values: conversion 0x0000, config 0x8583, Lo_thresh 0x8000, Hi_thresh 0x7FFF.
        _registers[0] = 0x0000;
        _registers[1] = 0x8583;
        _registers[2] = 0x8000;
        _registers[3] = 0x7FFF;
        _pointer = 0;
    }

    protected override void OnWrite(ReadOnlySpan<byte> buffer)
    {
        if (buffer.Length == 0)
        {
            return;
        }

        _pointer = (byte)(buffer[0] & 0x03);
        if (buffer.Length < 3)
        {
            return;
        }

        var value = BinaryPrimitives.ReadUInt16BigEndian(buffer[1..]);
        WriteLog.Add((_pointer, buffer[1]));
        WriteLog.Add((_pointer, buffer[2]));
        switch (_pointer)
        {
            case 0:
                break; // The conversion register is read-only.
            case 1:
                _registers[1] = (ushort)(value | 0x8000); // OS reads back 1: the (instant) conversion is done.
                if ((value & 0x8000) != 0 || (value & 0x0100) == 0)
                {
                    Convert(value);
                }

                break;
            default:
                _registers[_pointer] = value;
                break;
        }
    }

    protected override void OnRead(Span<byte> buffer)
    {
        if (_pointer == 0 && (_registers[1] & 0x0100) == 0)
        {
            // Continuous mode: the register always holds the latest conversion of the live input.
            Convert(_registers[1]);
        }

        var value = _registers[_pointer];
        for (var i = 0; i < buffer.Length; i++)
        {
            buffer[i] = (byte)(i % 2 == 0 ? value >> 8 : value);
        }
    }

    private void Convert(ushort config)
    {
        var mux = (config >> 12) & 0x7;
        var pga = (config >> 9) & 0x7;
        double volts;
        lock (_inputs)
        {
            volts = mux switch
            {
                0 => _inputs[0] - _inputs[1],
                1 => _inputs[0] - _inputs[3],
                2 => _inputs[1] - _inputs[3],
                3 => _inputs[2] - _inputs[3],
                _ => _inputs[mux - 4],
            };
        }

        // Output code: FS / 2^15 per LSB, clipped to 0x7FFF / 0x8000 (datasheet 9.3.3).
        var code = Math.Round(volts * 32768.0 / FullScale[pga]);
        code = Math.Clamp(code, short.MinValue, short.MaxValue);
        _registers[0] = (ushort)(short)code;
        Conversions++;
    }
}
