using Microsoft.Extensions.Logging;

namespace EdgeOps.Publishing.Outbox;

/// <summary>Outbox log messages, EventIds 3200-3299 (3100-3199 are the OPC UA source's).</summary>
internal static partial class OutboxLog
{
    [LoggerMessage(EventId = 3202, Level = LogLevel.Information, Message = "Outbox {Path} holds {Count} messages ({Bytes} bytes) from a previous run; they are sent first")]
    public static partial void Recovered(ILogger logger, int count, long bytes, string path);

    [LoggerMessage(EventId = 3203, Level = LogLevel.Warning, Message = "Outbox full ({MaxBytes} bytes): dropped {Kind} {Topic} seq {Seq} ({Size} bytes), (superseded snapshots go first, then replies; events never)")]
    public static partial void Dropped(ILogger logger, string kind, string topic, long seq, int size, long maxBytes);

    [LoggerMessage(EventId = 3204, Level = LogLevel.Warning, Message = "Outbox over its bound of {MaxBytes} bytes ({Bytes} bytes): nothing left that may be dropped, events are kept")]
    public static partial void OverBound(ILogger logger, long maxBytes, long bytes);

    [LoggerMessage(EventId = 3200, Level = LogLevel.Warning, Message = "Outbox: {Count} dropped superseded messages could not be deleted from the file ({Reason}); they go out again only after a restart")]
    public static partial void DropNotDeleted(ILogger logger, int count, string reason);

    [LoggerMessage(EventId = 3201, Level = LogLevel.Warning, Message = "Outbox: seq ceilings in {Path} not lowered at stop ({Reason}); after a reboot seqs resume above them, with a gap")]
    public static partial void CeilingsNotLowered(ILogger logger, string path, string reason);
}
