using Microsoft.Extensions.Logging;

namespace EdgeOps.Sources.OpcUa;

/// <summary>Log messages of the OPC UA source (EventIds 3100–3199).</summary>
internal static partial class OpcUaSourceLog
{
    [LoggerMessage(EventId = 3100, Level = LogLevel.Information, Message = "OPC UA {Endpoint} ({Url}): connected, {Count} signals bound")]
    public static partial void Connected(ILogger logger, string endpoint, string url, int count);

    [LoggerMessage(EventId = 3101, Level = LogLevel.Error, Message = "OPC UA {Endpoint} ({Url}): cannot connect; retrying in {DelaySeconds} s")]
    public static partial void ConnectFailed(ILogger logger, string endpoint, string url, double delaySeconds, Exception exception);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Warning, Message = "OPC UA {Endpoint}: {Detail}; signals marked stale until it is back")]
    public static partial void LinkLost(ILogger logger, string endpoint, string detail, Exception? exception);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Information, Message = "OPC UA {Endpoint}: link back ({Detail})")]
    public static partial void LinkBack(ILogger logger, string endpoint, string detail);

    [LoggerMessage(EventId = 3104, Level = LogLevel.Error, Message = "OPC UA {Endpoint}: signal {Signal} ({Node}) is not monitored: {Status}")]
    public static partial void ItemFailed(ILogger logger, string endpoint, string signal, string node, string status);

    [LoggerMessage(EventId = 3105, Level = LogLevel.Warning, Message = "OPC UA {Endpoint}: signal {Signal} got a value that is not a number ({Value}); ignored")]
    public static partial void NotNumeric(ILogger logger, string endpoint, string signal, string value);

    [LoggerMessage(EventId = 3106, Level = LogLevel.Error, Message = "OPC UA {Endpoint}: signal {Signal} has an unusable binding: {Reason}")]
    public static partial void BadBinding(ILogger logger, string endpoint, string signal, string reason);

    [LoggerMessage(EventId = 3107, Level = LogLevel.Warning, Message = "OPC UA {Endpoint}: reconnect attempt failed")]
    public static partial void ReconnectFailed(ILogger logger, string endpoint, Exception? exception);

    [LoggerMessage(EventId = 3108, Level = LogLevel.Warning, Message = "OPC UA {Endpoint}: the server ended the subscription ({Status}); recreating it with the same items")]
    public static partial void SubscriptionEnded(ILogger logger, string endpoint, string status);

    [LoggerMessage(EventId = 3109, Level = LogLevel.Warning, Message = "OPC UA {Endpoint}: signal {Signal} carries a code, but its node sent a {Type} ({Value}); passed on as not-a-number until the node sends an integer")]
    public static partial void WrongCodeType(ILogger logger, string endpoint, string signal, string type, string value);
}
