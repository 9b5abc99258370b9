using Microsoft.Extensions.Logging;

namespace EdgeOps.Publishing.Mqtt;

/// <summary>MQTT log messages, EventIds 3000-3099. Credentials never appear in any of them.</summary>
internal static partial class MqttLog
{
    [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "MQTT connected to {Host}:{Port} as {ClientId} (session present: {SessionPresent}); replaying {Backlog} queued messages")]
    public static partial void Connected(ILogger logger, string host, int port, string clientId, bool sessionPresent, int backlog);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "MQTT connection to {Host}:{Port} failed (attempt {Attempt}): {Reason}; retrying in {DelayMs} ms")]
    public static partial void ConnectFailed(ILogger logger, string host, int port, int attempt, string reason, long delayMs);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Error, Message = "MQTT broker {Host}:{Port} refused the connection: {ResultCode}. {Hint} Retrying in {DelayMs} ms")]
    public static partial void ConnectRefused(ILogger logger, string host, int port, string resultCode, string hint, long delayMs);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "MQTT connection lost ({Reason}); {Queued} messages stay in the outbox")]
    public static partial void Disconnected(ILogger logger, string reason, int queued);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "Broker rejected publish to {Topic} seq {Seq}: {ReasonCode} {ReasonString}; it stays queued and is retried after the next reconnect")]
    public static partial void PublishRejected(ILogger logger, string topic, long seq, string reasonCode, string? reasonString);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Error, Message = "MQTT publisher loop failed; backing off")]
    public static partial void LoopFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Information, Message = "MQTT publisher stopping: sent the last will (offline); {Queued} messages stay queued for the next start")]
    public static partial void Stopped(ILogger logger, int queued);

    [LoggerMessage(EventId = 3010, Level = LogLevel.Information, Message = "Command {Verb} for {Machine} applied (request {RequestId}, by {By})")]
    public static partial void CommandApplied(ILogger logger, string verb, string machine, string? requestId, string by);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Warning, Message = "Command {Verb} on {Topic} (user {User}) rejected, nothing changed: {Error}")]
    public static partial void CommandRejected(ILogger logger, string verb, string topic, string? user, string error);

    [LoggerMessage(EventId = 3012, Level = LogLevel.Error, Message = "Command handler threw for {Topic}")]
    public static partial void CommandFailed(ILogger logger, Exception exception, string topic);

    [LoggerMessage(EventId = 3014, Level = LogLevel.Information, Message = "Command {Verb} for {Machine} request {RequestId} was applied at {AppliedAt}; answered again, not applied twice")]
    public static partial void CommandDuplicate(ILogger logger, string verb, string machine, string requestId, DateTimeOffset appliedAt);

    [LoggerMessage(EventId = 3015, Level = LogLevel.Error, Message = "Command {Verb} for {Machine} request {RequestId} was applied, but its request id could not be stored: a redelivery of it would apply it again")]
    public static partial void RequestNotRecorded(ILogger logger, Exception exception, string verb, string machine, string requestId);

    [LoggerMessage(EventId = 3013, Level = LogLevel.Warning, Message = "Message on {Topic} is not a command topic; ignored")]
    public static partial void NotACommand(ILogger logger, string topic);

    [LoggerMessage(EventId = 3020, Level = LogLevel.Information, Message = "Embedded MQTT broker listening on {Address}:{Port}")]
    public static partial void BrokerStarted(ILogger logger, string address, int port);

    [LoggerMessage(EventId = 3021, Level = LogLevel.Information, Message = "Embedded MQTT broker access: {Users} user(s), {Commanders} with the commands role; anonymous (loopback only): {Anonymous}")]
    public static partial void BrokerAccess(ILogger logger, int users, int commanders, string anonymous);

    [LoggerMessage(EventId = 3022, Level = LogLevel.Warning, Message = "Embedded MQTT broker refused client {ClientId} (user {User}) from {Remote}: {Reason}")]
    public static partial void BrokerRefusedConnection(ILogger logger, string? clientId, string? user, string? remote, string reason);

    [LoggerMessage(EventId = 3023, Level = LogLevel.Warning, Message = "Embedded MQTT broker refused a publish by {ClientId} (user {User}) to {Topic}: {Reason}")]
    public static partial void BrokerRefusedPublish(ILogger logger, string clientId, string user, string topic, string reason);
}
