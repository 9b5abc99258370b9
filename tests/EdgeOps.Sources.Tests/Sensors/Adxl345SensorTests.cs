using EdgeOps.Sources.Sensors;
using EdgeOps.TestSupport.I2c;

namespace EdgeOps.Sources.Tests.Sensors;

public sealed class Adxl345SensorTests
{
    [Theory]
    [InlineData(2, 0b00)]
    [InlineData(4, 0b01)]
    [InlineData(16, 0b11)]
    public void Read_DecodesTheDataRegistersAtTheConfiguredRange(int rangeG, int rangeBits)
    {
        var chip = new EmulatedAdxl345();
        chip.SetAcceleration(0.5, -0.25, 1.0);
        using var sensor = new Adxl345Sensor(chip, rangeG, "spi0.0");
        var readings = new SensorReading[4];

        sensor.Read(readings);

        Assert.Equal(rangeBits, chip.DataFormat & 0b11);
        Assert.Equal(0x08, chip.PowerControl & 0x08); // Measure mode.
        // One LSB is 1/256 g at ±2 g and doubles per range step in 10-bit mode.
        var lsb = Adxl345Sensor.StandardGravity * rangeG / 512.0;
        Assert.Equal(0.5 * Adxl345Sensor.StandardGravity, readings[0].Value, lsb);
        Assert.Equal(-0.25 * Adxl345Sensor.StandardGravity, readings[1].Value, lsb);
        Assert.Equal(1.0 * Adxl345Sensor.StandardGravity, readings[2].Value, lsb);
        Assert.Equal(Math.Sqrt(0.25 + 0.0625 + 1) * Adxl345Sensor.StandardGravity, readings[3].Value, 2 * lsb);
    }

    [Fact]
    public void Read_WhenTheChipIsUnplugged_ThrowsNamingTheBus()
    {
        var chip = new EmulatedAdxl345();
        using var sensor = new Adxl345Sensor(chip, 2, "spi0.0");
        chip.Unplugged = true;

        var e = Assert.Throws<IOException>(() => sensor.Read(new SensorReading[4]));
        Assert.Contains("spi0.0", e.Message, StringComparison.Ordinal);
        Assert.Contains("0xFF", e.Message, StringComparison.Ordinal);
    }
}
