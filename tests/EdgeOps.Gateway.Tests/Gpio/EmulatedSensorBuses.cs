using System.Device.I2c;
using System.Device.Spi;
using EdgeOps.Sources.Sensors;
using EdgeOps.TestSupport.I2c;

namespace EdgeOps.Gateway.Tests.Gpio;

/// <summary>The retrofit line's sensors as emulated chips: BME280 at 0x76 and ADS1115 at 0x48 on i2c-1, ADXL345 on spi0.0.</summary>
internal sealed class EmulatedSensorBuses : ISensorBuses
{
    public EmulatedSensorBuses()
    {
        Bme280 = I2c.Attach(0x76, new EmulatedBme280(EmulatedBme280.DatasheetExample));
        Bme280.SetRaw(519888, 415148, 30000);
        Ads1115 = I2c.Attach(0x48, new EmulatedAds1115());
        Ads1115.SetInput(0, 0.012 * 150);
        Ads1115.SetInput(1, 7.5 * 0.3);
        Adxl345.SetAcceleration(0, 0, 1);
    }

    public EmulatedI2cBus I2c { get; } = new(1);

    public EmulatedBme280 Bme280 { get; }

    public EmulatedAds1115 Ads1115 { get; }

    public EmulatedAdxl345 Adxl345 { get; } = new();

    public I2cDevice OpenI2c(int bus, int address) =>
        bus == 1 ? I2c.Open(address) : throw new IOException($"/dev/i2c-{bus} does not exist");

    public SpiDevice OpenSpi(int bus, int chipSelect, SpiMode mode, int clockFrequency) =>
        (bus, chipSelect) == (0, 0) ? new Handle(Adxl345) : throw new IOException($"/dev/spidev{bus}.{chipSelect} does not exist");

    /// <summary>Disposing a binding disposes its SpiDevice; the emulated chip outlives it, as the hardware does.</summary>
    private sealed class Handle(EmulatedAdxl345 chip) : SpiDevice
    {
        public override SpiConnectionSettings ConnectionSettings => chip.ConnectionSettings;

        public override void Read(Span<byte> buffer) => chip.Read(buffer);

        public override void Write(ReadOnlySpan<byte> buffer) => chip.Write(buffer);

        public override void TransferFullDuplex(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer) => chip.TransferFullDuplex(writeBuffer, readBuffer);
    }
}
