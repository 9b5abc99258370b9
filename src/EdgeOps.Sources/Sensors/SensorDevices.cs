using System.Device.Spi;
using EdgeOps.Core.Model;

namespace EdgeOps.Sources.Sensors;

/// <summary>Opens a configured sensor through its binding on the bus the config names.</summary>
public static class SensorDevices
{
    /// <summary>Default I2C addresses (the chips' factory straps): BME280 0x77, ADS1115 0x48 (ADDR to GND).</summary>
    public static int AddressOf(SensorDefinition sensor)
    {
        ArgumentNullException.ThrowIfNull(sensor);
        return sensor.Address ?? (sensor.Type == SensorType.Bme280 ? 0x77 : 0x48);
    }

    /// <exception cref="IOException">The chip does not answer.</exception>
    public static ISensorDevice Open(SensorDefinition sensor, ISensorBuses buses)
    {
        ArgumentNullException.ThrowIfNull(sensor);
        ArgumentNullException.ThrowIfNull(buses);
        if (!SensorBus.TryParse(sensor.Bus, out var bus))
        {
            throw new ArgumentException($"sensor '{sensor.Id}': '{sensor.Bus}' is not a bus ({SensorBus.Expected})", nameof(sensor));
        }

        switch (sensor.Type)
        {
            case SensorType.Adxl345:
                var spi = buses.OpenSpi(bus.Bus, bus.ChipSelect, SpiMode.Mode3, 5_000_000);
                return Guard(spi, () => new Adxl345Sensor(spi, sensor.RangeG, bus.ToString()));
            case SensorType.Bme280:
                var bme = buses.OpenI2c(bus.Bus, AddressOf(sensor));
                return Guard(bme, () => new Bme280Sensor(bme));
            default:
                var ads = buses.OpenI2c(bus.Bus, AddressOf(sensor));
                return Guard(ads, () => new Ads1115Sensor(ads, sensor.Inputs));
        }
    }

    private static ISensorDevice Guard(IDisposable handle, Func<ISensorDevice> open)
    {
        try
        {
            return open();
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }
}
