using Microsoft.Extensions.Logging;

namespace EdgeOps.Sources.Sensors;

/// <summary>Sensor source log messages, EventIds 5050–5099.</summary>
internal static partial class SensorLog
{
    [LoggerMessage(EventId = 5050, Level = LogLevel.Information, Message = "Sensor {Device} ({Type} on {Bus}) opened; sampling at {Rate} Hz")]
    public static partial void Opened(ILogger logger, string device, string type, string bus, double rate);

    [LoggerMessage(EventId = 5051, Level = LogLevel.Warning, Message = "Sensor {Device} stopped answering; its signals are marked bad, retry in {Delay}")]
    public static partial void Failed(ILogger logger, Exception exception, string device, TimeSpan delay);

    [LoggerMessage(EventId = 5052, Level = LogLevel.Information, Message = "Sensor {Device} answers again after {Failures} failed attempts")]
    public static partial void Recovered(ILogger logger, string device, int failures);
}
