using Microsoft.Extensions.Logging;

namespace EdgeOps.Sources.Outputs;

/// <summary>Stack-light log messages, EventIds 5100–5119.</summary>
internal static partial class OutputLog
{
    [LoggerMessage(EventId = 5100, Level = LogLevel.Information, Message = "{Count} stack lights ready")]
    public static partial void LampTestDone(ILogger logger, int count);

    [LoggerMessage(EventId = 5101, Level = LogLevel.Error, Message = "Stack light {Light} could not be switched off")]
    public static partial void SafeOffFailed(ILogger logger, Exception exception, string light);
}
