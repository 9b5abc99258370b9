namespace EdgeOps.Core.Model;

/// <summary>Sensor device types the gateway drives through Iot.Device.Bindings.</summary>
public enum SensorType
{
    /// <summary>3-axis accelerometer for vibration (SPI: the binding speaks SPI only).</summary>
    Adxl345,
    /// <summary>Temperature, pressure and humidity (I2C).</summary>
    Bme280,
    /// <summary>4-channel 16-bit ADC for 4–20 mA and 0–10 V transmitters (I2C).</summary>
    Ads1115,
}

/// <summary>
/// One sensor device on a bus: <c>sources: sensors: [{ id: env1, type: bme280, bus: i2c-1, address: 0x76 }]</c>.
/// </summary>
public sealed record SensorDefinition
{
    /// <summary>Device id that signal bindings refer to (<c>source: { sensor: { device: env1, ... } }</c>).</summary>
    public required string Id { get; init; }

    public required SensorType Type { get; init; }

    /// <summary>Bus: <c>i2c-1</c> for I2C bus 1, <c>spi0.0</c> for SPI bus 0 chip select 0.</summary>
    public required string Bus { get; init; }

    /// <summary>I2C address (7-bit); null takes the device's default (BME280 0x77, ADS1115 0x48).</summary>
    public int? Address { get; init; }

    /// <summary>Samples per second.</summary>
    public double SampleRate { get; init; } = 1.0;

    /// <summary>The window the condition features of this device's signals are computed over.</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>ADXL345: full-scale range in g (2, 4, 8, 16).</summary>
    public int RangeG { get; init; } = 2;

    /// <summary>ADS1115: how each used input is scaled to engineering units, by channel name (ain0..ain3).</summary>
    public IReadOnlyDictionary<string, AnalogInputDefinition> Inputs { get; init; } = new Dictionary<string, AnalogInputDefinition>();

    /// <summary>First retry after a sensor stops answering; doubles up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(30);
}

/// <summary>What an analog input carries on the wire.</summary>
public enum AnalogInputKind
{
    /// <summary>4–20 mA loop measured across a shunt resistor.</summary>
    Current4To20MilliAmps,
    /// <summary>0–10 V transmitter through a voltage divider.</summary>
    Voltage0To10,
    /// <summary>A voltage in volts at the ADC pin, scaled between <see cref="AnalogInputDefinition.InputLow"/> and <see cref="AnalogInputDefinition.InputHigh"/>.</summary>
    Voltage,
}

/// <summary>
/// Linear scaling of one ADC input to engineering units: the wire value between its low and high end maps to
/// <see cref="Low"/>..<see cref="High"/> (e.g. 4–20 mA → 0–10 bar).
/// </summary>
public sealed record AnalogInputDefinition
{
    public AnalogInputKind Input { get; init; } = AnalogInputKind.Current4To20MilliAmps;

    /// <summary>Engineering value at the low end of the wire range (4 mA, 0 V).</summary>
    public double Low { get; init; }

    /// <summary>Engineering value at the high end of the wire range (20 mA, 10 V).</summary>
    public required double High { get; init; }

    /// <summary>4–20 mA: shunt resistor in ohms (150 Ω gives 0.6–3.0 V, inside the ADC's 4.096 V range).</summary>
    public double ShuntOhms { get; init; } = 150;

    /// <summary>0–10 V: the divider's ratio (ADC volts per input volt), e.g. 0.3 for 10 V → 3 V.</summary>
    public double DividerRatio { get; init; } = 0.3;

    /// <summary>Voltage kind: the wire range in volts.</summary>
    public double InputLow { get; init; }

    public double InputHigh { get; init; } = 4.096;
}
