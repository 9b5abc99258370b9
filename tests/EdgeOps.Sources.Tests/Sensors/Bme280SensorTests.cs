using EdgeOps.Sources.Sensors;
using EdgeOps.TestSupport.I2c;

namespace EdgeOps.Sources.Tests.Sensors;

public sealed class Bme280SensorTests
{
    [Fact]
    public void Read_DatasheetCompensationExample_DecodesTo25_08CelsiusAnd100653Pa()
    {
        var bus = new EmulatedI2cBus();
        var chip = bus.Attach(0x76, new EmulatedBme280(EmulatedBme280.DatasheetExample));
        chip.SetRaw(adcTemperature: 519888, adcPressure: 415148, adcHumidity: 30000);
        using var sensor = new Bme280Sensor(bus.Open(0x76));
        var readings = new SensorReading[3];

        sensor.Read(readings);

        // Bosch BMP280 datasheet 3.12: T = 25.08 °C (t_fine 128422), p = 100653.27 Pa.
        Assert.Equal(25.08, readings[0].Value, 0.005);
        Assert.Equal(1006.5327, readings[1].Value, 0.0005);
        Assert.Equal(ExpectedHumidity(EmulatedBme280.DatasheetExample, tFine: 128422, adcH: 30000), readings[2].Value, 0.01);
    }

    [Fact]
    public void Open_PutsTheChipInNormalModeWithOversampling()
    {
        var bus = new EmulatedI2cBus();
        var chip = bus.Attach(0x77, new EmulatedBme280(EmulatedBme280.DatasheetExample));

        using var sensor = new Bme280Sensor(bus.Open(0x77));

        Assert.Equal(0b11, chip.CtrlMeas & 0b11);
        Assert.NotEqual(0, chip.CtrlMeas >> 5);
    }

    [Fact]
    public void Open_WhenNothingAnswersAtTheAddress_ThrowsIOException()
    {
        var bus = new EmulatedI2cBus();
        bus.Attach(0x77, new EmulatedBme280(EmulatedBme280.DatasheetExample));

        var e = Assert.Throws<IOException>(() => new Bme280Sensor(bus.Open(0x76)));
        Assert.Contains("0x76", e.Message, StringComparison.Ordinal);
    }

    /// <summary>BME280 datasheet 8.1, humidity compensation in double precision, written from the datasheet.</summary>
    private static double ExpectedHumidity(Bme280Trimming t, double tFine, int adcH)
    {
        var h = tFine - 76800.0;
        h = (adcH - ((t.H4 * 64.0) + (t.H5 / 16384.0 * h))) * (t.H2 / 65536.0 * (1.0 + (t.H6 / 67108864.0 * h * (1.0 + (t.H3 / 67108864.0 * h)))));
        h *= 1.0 - (t.H1 * h / 524288.0);
        return Math.Clamp(h, 0, 100);
    }
}
