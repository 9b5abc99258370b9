using Microsoft.Extensions.Logging;

namespace EdgeOps.Publishing.Sparkplug;

/// <summary>Sparkplug B log messages, EventIds 3400-3429.</summary>
internal static partial class SparkplugLog
{
    [LoggerMessage(EventId = 3400, Level = LogLevel.Information, Message = "Sparkplug session connected to {Host}:{Port} as {ClientId} (group {Group}, edge node {Node}, bdSeq {BdSeq}); {Backlog} messages queued")]
    public static partial void Connected(ILogger logger, string host, int port, string clientId, string group, string node, int bdSeq, int backlog);

    [LoggerMessage(EventId = 3401, Level = LogLevel.Warning, Message = "Sparkplug connection to {Host}:{Port} failed: {Reason}; retrying in {DelayMs} ms")]
    public static partial void ConnectFailed(ILogger logger, string host, int port, string reason, long delayMs);

    [LoggerMessage(EventId = 3402, Level = LogLevel.Warning, Message = "Sparkplug connection lost ({Reason}); {Queued} messages stay in the outbox and go out as historical after the next births")]
    public static partial void Disconnected(ILogger logger, string reason, int queued);

    [LoggerMessage(EventId = 3403, Level = LogLevel.Information, Message = "Sparkplug births sent ({Reason}): NBIRTH bdSeq {BdSeq} and {Devices} DBIRTH; {Backlog} queued messages follow as historical")]
    public static partial void Births(ILogger logger, string reason, int bdSeq, int devices, int backlog);

    [LoggerMessage(EventId = 3404, Level = LogLevel.Information, Message = "Sparkplug waits for primary host {Host} to be online (spBv1.0/STATE/{Host}) before its births; data stays in the outbox")]
    public static partial void WaitingForHost(ILogger logger, string host);

    [LoggerMessage(EventId = 3405, Level = LogLevel.Warning, Message = "Sparkplug primary host {Host} went offline: NDEATH sent, reconnecting; data is held and later sent as historical")]
    public static partial void HostOffline(ILogger logger, string host);

    [LoggerMessage(EventId = 3406, Level = LogLevel.Warning, Message = "Sparkplug {Topic} refused: {Cause} (logged once per cause; later ones at debug level)")]
    public static partial void Refused(ILogger logger, string topic, string cause);

    [LoggerMessage(EventId = 3407, Level = LogLevel.Debug, Message = "Sparkplug {Topic} refused: {Cause}")]
    public static partial void RefusedAgain(ILogger logger, string topic, string cause);

    [LoggerMessage(EventId = 3408, Level = LogLevel.Information, Message = "Sparkplug {Command} requested by NCMD")]
    public static partial void NodeCommand(ILogger logger, string command);

    [LoggerMessage(EventId = 3409, Level = LogLevel.Error, Message = "Sparkplug loop failed; backing off")]
    public static partial void LoopFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3410, Level = LogLevel.Information, Message = "Sparkplug session stopping: NDEATH bdSeq {BdSeq} sent as the will; {Queued} messages stay queued for the next start")]
    public static partial void Stopped(ILogger logger, int bdSeq, int queued);

    [LoggerMessage(EventId = 3411, Level = LogLevel.Warning, Message = "Sparkplug message could not be written to the outbox {Path}: {Reason}; its values go out with their next change or the next birth (NCMD Rebirth restates all)")]
    public static partial void NotQueued(ILogger logger, string path, string reason);
}
