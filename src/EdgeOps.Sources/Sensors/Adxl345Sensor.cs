using System.Device.Spi;
using Iot.Device.Adxl345;

namespace EdgeOps.Sources.Sensors;

/// <summary>
/// ADXL345 through <see cref="Adxl345"/> (SPI): x, y, z and the vector magnitude in m/s². SPI has no acknowledge,
/// so an unplugged chip reads 0xFF or 0x00 without an error; the device id (0xE5) is checked before every sample
/// so a lost sensor is reported, not read as a constant.
/// </summary>
public sealed class Adxl345Sensor : ISensorDevice
{
    /// <summary>Standard gravity, m/s² per g.</summary>
    public const double StandardGravity = 9.80665;

    private readonly SpiDevice _spi;
    private readonly Adxl345 _device;
    private readonly string _where;

    /// <exception cref="IOException">The chip does not answer with its device id.</exception>
    public Adxl345Sensor(SpiDevice spi, int rangeG, string where)
    {
        ArgumentNullException.ThrowIfNull(spi);
        _spi = spi;
        _where = where;
        CheckDeviceId();
        var range = rangeG switch
        {
            2 => GravityRange.Range02,
            4 => GravityRange.Range04,
            8 => GravityRange.Range08,
            16 => GravityRange.Range16,
            _ => throw new ArgumentOutOfRangeException(nameof(rangeG), rangeG, "ADXL345 ranges are 2, 4, 8 and 16 g"),
        };
        _device = new Adxl345(spi, range);
    }

    public IReadOnlyList<string> Channels { get; } = ["x", "y", "z", "magnitude"];

    public void Read(Span<SensorReading> readings)
    {
        CheckDeviceId();
        var g = _device.Acceleration;
        readings[0] = new SensorReading(g.X * StandardGravity);
        readings[1] = new SensorReading(g.Y * StandardGravity);
        readings[2] = new SensorReading(g.Z * StandardGravity);
        readings[3] = new SensorReading(g.Length() * StandardGravity);
    }

    public void Dispose() => _device.Dispose();

    private void CheckDeviceId()
    {
        // Read DEVID (register 0x00): R/W bit set, single byte.
        Span<byte> command = [0x80, 0x00];
        Span<byte> answer = stackalloc byte[2];
        _spi.TransferFullDuplex(command, answer);
        if (answer[1] != 0xE5)
        {
            throw new IOException($"ADXL345 on {_where} did not answer: device id 0x{answer[1]:X2}, expected 0xE5");
        }
    }
}
