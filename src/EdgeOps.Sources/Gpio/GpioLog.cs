using Microsoft.Extensions.Logging;

namespace EdgeOps.Sources.Gpio;

/// <summary>GPIO source log messages, EventIds 5000–5049.</summary>
internal static partial class GpioLog
{
    [LoggerMessage(EventId = 5000, Level = LogLevel.Information, Message = "GPIO source started: {InputCount} inputs on {Chip}")]
    public static partial void Started(ILogger logger, int inputCount, string chip);

    [LoggerMessage(EventId = 5001, Level = LogLevel.Error, Message = "GPIO source failed; inputs marked bad, retrying in {Delay}")]
    public static partial void Failed(ILogger logger, Exception exception, TimeSpan delay);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "GPIO input {Key} on line {Pin}: pull {Pull} is not supported by the driver; using no bias")]
    public static partial void PullUnsupported(ILogger logger, string key, int pin, string pull);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Information, Message = "GPIO driver {Driver} selected for chip {Chip}")]
    public static partial void DriverSelected(ILogger logger, string driver, string chip);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Debug, Message = "GPIO driver {Driver} unavailable: {Reason}")]
    public static partial void DriverUnavailable(ILogger logger, string driver, string reason);
}
