using Microsoft.Extensions.Logging;

namespace EdgeOps.Historian;

/// <summary>Historian logs, EventIds 6100–6199.</summary>
internal static partial class HistorianLog
{
    [LoggerMessage(EventId = 6100, Level = LogLevel.Information, Message = "Connected to MQTT {Host}:{Port} as {ClientId}, subscribed to {Topic} (session present: {SessionPresent})")]
    public static partial void Connected(ILogger logger, string host, int port, string clientId, string topic, bool sessionPresent);

    [LoggerMessage(EventId = 6101, Level = LogLevel.Warning, Message = "MQTT connect to {Host}:{Port} failed; retrying in {DelayMs} ms")]
    public static partial void ConnectFailed(ILogger logger, string host, int port, double delayMs, Exception exception);

    [LoggerMessage(EventId = 6102, Level = LogLevel.Warning, Message = "MQTT connection to {Host}:{Port} lost (unacknowledged messages will be redelivered); reconnecting in {DelayMs} ms")]
    public static partial void ConnectionLost(ILogger logger, string host, int port, double delayMs, Exception exception);

    [LoggerMessage(EventId = 6104, Level = LogLevel.Information, Message = "Historian writing to {Endpoint} ({Api}); buffer {BufferPath} holds {Buffered} batches")]
    public static partial void Starting(ILogger logger, string endpoint, string api, string bufferPath, long buffered);

    [LoggerMessage(EventId = 6110, Level = LogLevel.Warning, Message = "A batch of {Messages} messages was not stored (the error is logged above); dropping the connection to MQTT {Host}:{Port} so the broker redelivers it")]
    public static partial void BatchFailed(ILogger logger, int messages, string host, int port);

    [LoggerMessage(EventId = 6111, Level = LogLevel.Information, Message = "Metrics on {Url}metrics")]
    public static partial void MetricsListening(ILogger logger, string url);

    [LoggerMessage(EventId = 6112, Level = LogLevel.Warning, Message = "Metrics endpoint {Url} (Historian:MetricsUrl) cannot listen: {Reason}; the historian runs without it")]
    public static partial void MetricsNotListening(ILogger logger, string url, string reason);

    [LoggerMessage(EventId = 6106, Level = LogLevel.Warning, Message = "Refreshing the subscription of the resumed session failed; the session's subscription stays in force")]
    public static partial void ResubscribeFailed(ILogger logger, Exception exception);
}
