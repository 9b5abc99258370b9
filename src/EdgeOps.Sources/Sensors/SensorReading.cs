using EdgeOps.Core.Signals;

namespace EdgeOps.Sources.Sensors;

/// <summary>One channel's value in engineering units, and whether it can be trusted.</summary>
public readonly record struct SensorReading(double Value, SignalQuality Quality = SignalQuality.Good);
