using System.Device.I2c;
using EdgeOps.Core.Model;
using Iot.Device.Ads1115;

namespace EdgeOps.Sources.Sensors;

/// <summary>
/// ADS1115 through <see cref="Ads1115"/>: each configured input (ain0..ain3, single-ended) is converted on demand
/// at the smallest full scale that covers it, then scaled to engineering units by <see cref="AnalogScaling"/>.
/// </summary>
public sealed class Ads1115Sensor : ISensorDevice
{
    private readonly Ads1115 _device;
    private readonly (InputMultiplexer Mux, MeasuringRange Range, AnalogInputDefinition Input)[] _inputs;

    public Ads1115Sensor(I2cDevice i2c, IReadOnlyDictionary<string, AnalogInputDefinition> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var ordered = inputs.OrderBy(i => i.Key, StringComparer.Ordinal).ToList();
        Channels = [.. ordered.Select(i => i.Key)];
        _inputs = [.. ordered.Select(i => (Mux(i.Key), RangeFor(AnalogScaling.MaxAdcVolts(i.Value)), i.Value))];

        // Single-shot: the binding starts a conversion per read, so switching inputs never returns the previous one.
        _device = new Ads1115(i2c, _inputs.Length > 0 ? _inputs[0].Mux : InputMultiplexer.AIN0, _inputs.Length > 0 ? _inputs[0].Range : MeasuringRange.FS4096, DataRate.SPS860, DeviceMode.PowerDown);
    }

    public IReadOnlyList<string> Channels { get; }

    public void Read(Span<SensorReading> readings)
    {
        for (var i = 0; i < _inputs.Length; i++)
        {
            var (mux, range, input) = _inputs[i];
            var raw = _device.ReadRaw(mux, range, DataRate.SPS860);
            readings[i] = AnalogScaling.Scale(input, _device.RawToVoltage(raw).Volts);
        }
    }

    public void Dispose() => _device.Dispose();

    /// <summary>The smallest programmable full scale at or above <paramref name="volts"/>.</summary>
    public static MeasuringRange RangeFor(double volts) => volts switch
    {
        <= 0.256 => MeasuringRange.FS0256,
        <= 0.512 => MeasuringRange.FS0512,
        <= 1.024 => MeasuringRange.FS1024,
        <= 2.048 => MeasuringRange.FS2048,
        <= 4.096 => MeasuringRange.FS4096,
        _ => MeasuringRange.FS6144,
    };

    private static InputMultiplexer Mux(string channel) => channel switch
    {
        "ain0" => InputMultiplexer.AIN0,
        "ain1" => InputMultiplexer.AIN1,
        "ain2" => InputMultiplexer.AIN2,
        "ain3" => InputMultiplexer.AIN3,
        _ => throw new ArgumentException($"ADS1115 has inputs ain0..ain3, not '{channel}'", nameof(channel)),
    };
}
