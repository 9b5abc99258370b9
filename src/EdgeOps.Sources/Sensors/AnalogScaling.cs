using EdgeOps.Core.Model;
using EdgeOps.Core.Signals;

namespace EdgeOps.Sources.Sensors;

/// <summary>
/// Linear scaling of an ADC voltage to engineering units. A 4–20 mA loop outside 3.6–21 mA is a broken wire or a
/// shorted transmitter (NAMUR NE 43), so its reading is marked bad rather than reported as a plausible number.
/// </summary>
public static class AnalogScaling
{
    public const double LoopFaultLowMilliAmps = 3.6;
    public const double LoopFaultHighMilliAmps = 21.0;

    /// <summary>The full-scale voltage the ADC must cover for this input (the highest wire value at the ADC pin).</summary>
    public static double MaxAdcVolts(AnalogInputDefinition input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.Input switch
        {
            AnalogInputKind.Current4To20MilliAmps => LoopFaultHighMilliAmps / 1000 * input.ShuntOhms,
            AnalogInputKind.Voltage0To10 => 10.5 * input.DividerRatio,
            _ => Math.Max(Math.Abs(input.InputLow), Math.Abs(input.InputHigh)),
        };
    }

    /// <summary>Scales the voltage measured at the ADC pin.</summary>
    public static SensorReading Scale(AnalogInputDefinition input, double adcVolts)
    {
        ArgumentNullException.ThrowIfNull(input);
        switch (input.Input)
        {
            case AnalogInputKind.Current4To20MilliAmps:
                var milliAmps = adcVolts / input.ShuntOhms * 1000;
                var quality = milliAmps is < LoopFaultLowMilliAmps or > LoopFaultHighMilliAmps ? SignalQuality.Bad : SignalQuality.Good;
                return new SensorReading(Linear(milliAmps, 4, 20, input.Low, input.High), quality);
            case AnalogInputKind.Voltage0To10:
                return new SensorReading(Linear(adcVolts / input.DividerRatio, 0, 10, input.Low, input.High));
            default:
                return new SensorReading(Linear(adcVolts, input.InputLow, input.InputHigh, input.Low, input.High));
        }
    }

    private static double Linear(double x, double x0, double x1, double y0, double y1) => y0 + ((x - x0) / (x1 - x0) * (y1 - y0));
}
