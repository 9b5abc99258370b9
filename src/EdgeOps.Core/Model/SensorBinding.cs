namespace EdgeOps.Core.Model;

/// <summary>
/// A signal read from a channel of a configured sensor device.
/// Config: <c>source: { sensor: { device: vib1, channel: x } }</c>.
/// </summary>
public sealed record SensorBinding : SourceBinding
{
    public override string Kind => "sensor";

    /// <summary>The id of a device under <c>sources.sensors</c>.</summary>
    public required string Device { get; init; }

    /// <summary>The device's channel: x/y/z (ADXL345), temperature/pressure/humidity (BME280), ain0..ain3 (ADS1115).</summary>
    public required string Channel { get; init; }
}
