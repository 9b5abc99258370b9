namespace EdgeOps.Sources.Sensors;

/// <summary>
/// A sensor chip opened through its Iot.Device.Bindings driver. <see cref="Read"/> fills one reading per channel
/// and throws (usually <see cref="IOException"/>) when the chip does not answer.
/// </summary>
public interface ISensorDevice : IDisposable
{
    /// <summary>Channel names in the order <see cref="Read"/> fills them.</summary>
    IReadOnlyList<string> Channels { get; }

    void Read(Span<SensorReading> readings);
}
