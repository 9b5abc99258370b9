using EdgeOps.Core.Model;
using EdgeOps.Core.Signals;
using EdgeOps.Sources.Sensors;
using EdgeOps.TestSupport.I2c;

namespace EdgeOps.Sources.Tests.Sensors;

public sealed class Ads1115SensorTests
{
    private static readonly Dictionary<string, AnalogInputDefinition> Inputs = new()
    {
        ["ain0"] = new AnalogInputDefinition { Input = AnalogInputKind.Current4To20MilliAmps, ShuntOhms = 150, Low = 0, High = 50 },
        ["ain1"] = new AnalogInputDefinition { Input = AnalogInputKind.Voltage0To10, DividerRatio = 0.3, Low = 0, High = 10 },
    };

    [Fact]
    public void Read_CurrentClampAt12mA_Is25Amps_AndPressureAt7_5V_Is7_5Bar()
    {
        var bus = new EmulatedI2cBus();
        var chip = bus.Attach(0x48, new EmulatedAds1115());
        chip.SetInput(0, 0.012 * 150);      // 12 mA through 150 Ω = 1.8 V
        chip.SetInput(1, 7.5 * 0.3);        // 7.5 V through the divider = 2.25 V
        using var sensor = new Ads1115Sensor(bus.Open(0x48), Inputs);
        var readings = new SensorReading[2];

        sensor.Read(readings);

        Assert.Equal(["ain0", "ain1"], sensor.Channels);
        // FS 4.096 V: 125 µV per LSB, i.e. 0.83 µA on the loop (2.6 mA of clamp current) and 0.42 mV at the input.
        Assert.Equal(25.0, readings[0].Value, 0.003);
        Assert.Equal(SignalQuality.Good, readings[0].Quality);
        Assert.Equal(7.5, readings[1].Value, 0.001);
        // The last conversion was AIN1 single-ended (MUX 101) at ±4.096 V (PGA 001), single-shot.
        Assert.Equal(0b101, (chip.Config >> 12) & 0b111);
        Assert.Equal(0b001, (chip.Config >> 9) & 0b111);
        Assert.Equal(1, (chip.Config >> 8) & 1);
    }

    [Fact]
    public void Read_BrokenCurrentLoop_IsMarkedBad()
    {
        var bus = new EmulatedI2cBus();
        var chip = bus.Attach(0x49, new EmulatedAds1115());
        chip.SetInput(0, 0.0);
        using var sensor = new Ads1115Sensor(bus.Open(0x49), Inputs);
        var readings = new SensorReading[2];

        sensor.Read(readings);

        Assert.Equal(SignalQuality.Bad, readings[0].Quality);
    }

    [Theory]
    [InlineData(4.0, 0.0)]
    [InlineData(20.0, 50.0)]
    [InlineData(8.0, 12.5)]
    public void Scale_FourToTwentyMilliAmps_IsLinear(double milliAmps, double expected)
    {
        var reading = AnalogScaling.Scale(Inputs["ain0"], milliAmps / 1000 * 150);

        Assert.Equal(expected, reading.Value, 1e-9);
        Assert.Equal(SignalQuality.Good, reading.Quality);
    }

    [Theory]
    [InlineData(3.5)]
    [InlineData(21.5)]
    public void Scale_LoopCurrentOutsideNamurRange_IsBad(double milliAmps) =>
        Assert.Equal(SignalQuality.Bad, AnalogScaling.Scale(Inputs["ain0"], milliAmps / 1000 * 150).Quality);
}
