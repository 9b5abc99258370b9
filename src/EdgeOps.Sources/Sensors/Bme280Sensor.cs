using System.Device.I2c;
using Iot.Device.Bmxx80;
using Iot.Device.Bmxx80.PowerMode;

namespace EdgeOps.Sources.Sensors;

/// <summary>BME280 through <see cref="Bme280"/>: temperature (°C), pressure (hPa), relative humidity (%).</summary>
public sealed class Bme280Sensor : ISensorDevice
{
    private readonly Bme280 _device;

    /// <exception cref="IOException">No BME280 (chip id 0x60) at the address.</exception>
    public Bme280Sensor(I2cDevice i2c)
    {
        _device = new Bme280(i2c)
        {
            TemperatureSampling = Sampling.Standard,
            PressureSampling = Sampling.Standard,
            HumiditySampling = Sampling.Standard,
        };

        // Normal mode: the chip measures continuously (every standby period), so a read never waits on a conversion.
        _device.SetPowerMode(Bmx280PowerMode.Normal);
    }

    public IReadOnlyList<string> Channels { get; } = ["temperature", "pressure", "humidity"];

    public void Read(Span<SensorReading> readings)
    {
        if (!_device.TryReadTemperature(out var temperature)
            || !_device.TryReadPressure(out var pressure)
            || !_device.TryReadHumidity(out var humidity))
        {
            throw new IOException("BME280 measurement skipped (oversampling set to skipped)");
        }

        readings[0] = new SensorReading(temperature.DegreesCelsius);
        readings[1] = new SensorReading(pressure.Hectopascals);
        readings[2] = new SensorReading(humidity.Percent);
    }

    public void Dispose() => _device.Dispose();
}
