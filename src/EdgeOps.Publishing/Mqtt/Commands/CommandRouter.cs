using EdgeOps.Contract;
using EdgeOps.Contract.Payloads;
using EdgeOps.Publishing.Outbox;
using Microsoft.Extensions.Logging;

namespace EdgeOps.Publishing.Mqtt.Commands;

/// <summary>
/// Validates an inbound command, hands it to the handler registered for its verb and builds the reply for
/// <c>.../cmd/{verb}/reply</c>. A bad payload, an unknown verb or a handler's refusal give an error reply and change nothing.
/// </summary>
public sealed class CommandRouter
{
    private readonly Dictionary<string, ICommandHandler> _handlers = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Registers the handlers by verb; two handlers for one verb is a wiring error.</summary>
    public CommandRouter(IEnumerable<ICommandHandler> handlers, TimeProvider time, ILogger<CommandRouter> logger)
    {
        ArgumentNullException.ThrowIfNull(handlers);
        _time = time;
        _logger = logger;
        foreach (var handler in handlers)
        {
            foreach (var verb in handler.Verbs)
            {
                if (!_handlers.TryAdd(verb, handler))
                {
                    throw new InvalidOperationException(
                        $"Two command handlers for verb '{verb}': {_handlers[verb].GetType().Name} and {handler.GetType().Name}.");
                }
            }
        }
    }

    /// <summary>Handles one message from a command topic; returns the reply to publish, or null if the topic is not a command.</summary>
    public async Task<OutgoingMessage?> HandleAsync(string topic, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        var parsed = MqttTopics.ParseCommand(topic);
        if (parsed is null)
        {
            MqttLog.NotACommand(_logger, topic);
            return null;
        }

        var now = _time.GetUtcNow();
        var command = CommandParser.TryParse(parsed, payload.Span, now, out var error, out var requestId);
        CommandResult result;
        if (command is null)
        {
            result = CommandResult.Rejected(error!);
        }
        else if (!_handlers.TryGetValue(parsed.Verb, out var handler))
        {
            result = CommandResult.Rejected($"this gateway has no handler for '{parsed.Verb}'");
        }
        else
        {
            try
            {
                result = await handler.HandleAsync(command, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                MqttLog.CommandFailed(_logger, ex, topic);
                result = CommandResult.Rejected($"the gateway failed to apply it: {ex.Message}");
            }
        }

        if (result.Ok)
        {
            MqttLog.CommandApplied(_logger, parsed.Verb, parsed.Machine.MachineId, requestId);
        }
        else
        {
            MqttLog.CommandRejected(_logger, parsed.Verb, topic, result.Error ?? "rejected");
        }

        var reply = new CommandReplyPayload
        {
            Ts = _time.GetUtcNow(),
            Machine = parsed.Machine.MachineId,
            Verb = parsed.Verb,
            RequestId = requestId,
            Ok = result.Ok,
            Error = result.Ok ? null : result.Error ?? "rejected",
        };
        return OutgoingMessage.Json(parsed.ReplyTopic, MessageKind.Reply, reply, PayloadJsonContext.Default.CommandReplyPayload);
    }
}
