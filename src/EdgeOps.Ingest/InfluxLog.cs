using Microsoft.Extensions.Logging;

namespace EdgeOps.Ingest;

/// <summary>Influx writer logs, EventIds 6000–6099.</summary>
internal static partial class InfluxLog
{
    [LoggerMessage(EventId = 6000, Level = LogLevel.Warning, Message = "InfluxDB {Endpoint} unavailable (HTTP {Status}): {Error}")]
    public static partial void WriteUnavailable(ILogger logger, string endpoint, int status, string error);

    [LoggerMessage(EventId = 6001, Level = LogLevel.Error, Message = "InfluxDB {Endpoint} rejected a line, dead-lettered: {Reason}")]
    public static partial void LineDeadLettered(ILogger logger, string endpoint, string reason);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Warning, Message = "InfluxDB unavailable: {Lines} lines to the durable buffer ({Buffered} batches buffered)")]
    public static partial void Spilled(ILogger logger, int lines, long buffered);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Information, Message = "Durable buffer drained a batch of {Lines} lines to InfluxDB ({Remaining} batches left)")]
    public static partial void Drained(ILogger logger, int lines, long remaining);

    [LoggerMessage(EventId = 6004, Level = LogLevel.Error, Message = "Durable buffer write failed; retrying (messages stay unacknowledged)")]
    public static partial void SpillFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 6005, Level = LogLevel.Error, Message = "Influx ingest pass failed; backing off")]
    public static partial void PassFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 6006, Level = LogLevel.Error, Message = "Message on {Topic} dead-lettered: {Reason}")]
    public static partial void MessageDeadLettered(ILogger logger, string topic, string reason);
}
