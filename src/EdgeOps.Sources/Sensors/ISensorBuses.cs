using System.Device.I2c;
using System.Device.Spi;

namespace EdgeOps.Sources.Sensors;

/// <summary>Opens bus devices; the Linux character devices in production, emulated chips in tests.</summary>
public interface ISensorBuses
{
    I2cDevice OpenI2c(int bus, int address);

    SpiDevice OpenSpi(int bus, int chipSelect, SpiMode mode, int clockFrequency);
}

/// <summary><c>/dev/i2c-N</c> and <c>/dev/spidevB.C</c> through System.Device.Gpio.</summary>
public sealed class LinuxSensorBuses : ISensorBuses
{
    public I2cDevice OpenI2c(int bus, int address)
    {
        if (!File.Exists($"/dev/i2c-{bus}"))
        {
            throw new IOException($"/dev/i2c-{bus} does not exist: enable I2C (firmware-config/os/config.txt) or load i2c-dev.");
        }

        return I2cDevice.Create(new I2cConnectionSettings(bus, address));
    }

    public SpiDevice OpenSpi(int bus, int chipSelect, SpiMode mode, int clockFrequency)
    {
        if (!File.Exists($"/dev/spidev{bus}.{chipSelect}"))
        {
            throw new IOException($"/dev/spidev{bus}.{chipSelect} does not exist: enable SPI (firmware-config/os/config.txt).");
        }

        return SpiDevice.Create(new SpiConnectionSettings(bus, chipSelect) { Mode = mode, ClockFrequency = clockFrequency });
    }
}
