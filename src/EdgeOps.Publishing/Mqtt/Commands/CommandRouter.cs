using System.Globalization;
using EdgeOps.Contract;
using EdgeOps.Contract.Payloads;
using EdgeOps.Publishing.Outbox;
using Microsoft.Extensions.Logging;

namespace EdgeOps.Publishing.Mqtt.Commands;

/// <summary>
/// Validates an inbound command, hands it to the handler registered for its verb and builds the reply for
/// <c>.../cmd/{verb}/reply</c>. A bad payload, an unknown verb, a stale or expired command, or a handler's refusal give an
/// error reply and change nothing. A <c>requestId</c> applied within <see cref="CommandOptions.RequestRetention"/> is
/// answered again (<c>duplicate: true</c>) and not applied twice.
/// </summary>
public sealed class CommandRouter : IInboundMessageHandler, IDisposable
{
    private readonly Dictionary<string, ICommandHandler> _handlers = new(StringComparer.Ordinal);
    private readonly CommandOptions _options;
    private readonly CommandRequestLog _requests;
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Registers the handlers by verb, with default <see cref="CommandOptions"/> and request ids kept in memory.</summary>
    public CommandRouter(IEnumerable<ICommandHandler> handlers, TimeProvider time, ILogger<CommandRouter> logger)
        : this(handlers, new CommandOptions(), time, logger)
    {
    }

    /// <summary>Registers the handlers by verb (two for one verb is a wiring error) and opens the request log of <paramref name="options"/>.</summary>
    public CommandRouter(IEnumerable<ICommandHandler> handlers, CommandOptions options, TimeProvider time, ILogger<CommandRouter> logger)
    {
        ArgumentNullException.ThrowIfNull(handlers);
        ArgumentNullException.ThrowIfNull(options);
        if (MqttOptionsValidator.CommandErrors(options) is { Count: > 0 } errors)
        {
            throw new ArgumentException(string.Join(Environment.NewLine, errors), nameof(options));
        }

        _options = options;
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

        _requests = new CommandRequestLog(options.RequestLogPath, options.RequestRetention);
    }

    /// <summary>Handles one message from a command topic with no authenticated sender (an external broker does not say who).</summary>
    public Task<OutgoingMessage?> HandleAsync(string topic, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken) =>
        HandleAsync(topic, payload, sender: null, cancellationToken);

    /// <summary>
    /// Handles one message from a command topic; returns the reply to publish, or null if the topic is not a command.
    /// <paramref name="sender"/> is the user the broker authenticated, when the broker is one that tells (the embedded one).
    /// Returns once an applied command's request id is durable, so the caller acknowledges the message after that.
    /// </summary>
    public async Task<OutgoingMessage?> HandleAsync(string topic, ReadOnlyMemory<byte> payload, string? sender, CancellationToken cancellationToken)
    {
        var parsed = MqttTopics.ParseCommand(topic);
        if (parsed is null)
        {
            MqttLog.NotACommand(_logger, topic);
            return null;
        }

        var now = _time.GetUtcNow();
        var command = CommandParser.TryParse(parsed, payload.Span, now, out var error, out var requestId);
        if (command is not null)
        {
            command = command with { User = sender };
        }

        CommandResult result;
        var duplicate = false;
        await _oneAtATime.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var key = requestId is null ? null : $"{parsed.ReplyTopic}\n{requestId}";
            if (command is null)
            {
                result = CommandResult.Rejected(error!);
            }
            else if (key is not null && _requests.Find(key, now) is { } earlier)
            {
                // Answered again, not applied again: the first reply may have been lost with the connection, or the
                // broker redelivered because the gateway died before its PUBACK.
                duplicate = true;
                result = CommandResult.Applied;
                MqttLog.CommandDuplicate(_logger, parsed.Verb, parsed.Machine.MachineId, requestId!, earlier.AppliedAt);
            }
            else if (Freshness(command, now) is { } stale)
            {
                result = CommandResult.Rejected(stale);
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

                if (result.Ok && key is not null)
                {
                    try
                    {
                        _requests.Record(key, new AppliedRequest(_time.GetUtcNow(), sender), _time.GetUtcNow());
                    }
                    catch (Exception ex) when (ex is Microsoft.Data.Sqlite.SqliteException or IOException)
                    {
                        // Applied already: say so. Only the protection against a second application is lost, and the
                        // log says which request a redelivery would apply again.
                        MqttLog.RequestNotRecorded(_logger, ex, parsed.Verb, parsed.Machine.MachineId, requestId!);
                    }
                }
            }
        }
        finally
        {
            _oneAtATime.Release();
        }

        if (duplicate)
        {
            // Logged above.
        }
        else if (result.Ok)
        {
            MqttLog.CommandApplied(_logger, parsed.Verb, parsed.Machine.MachineId, requestId, command?.RecordedBy ?? "mqtt");
        }
        else
        {
            MqttLog.CommandRejected(_logger, parsed.Verb, topic, sender, result.Error ?? "rejected");
        }

        var reply = new CommandReplyPayload
        {
            Ts = _time.GetUtcNow(),
            Machine = parsed.Machine.MachineId,
            Verb = parsed.Verb,
            RequestId = requestId,
            Ok = result.Ok,
            Error = result.Ok ? null : result.Error ?? "rejected",
            User = sender,
            Operator = command?.Operator,
            Duplicate = duplicate ? true : null,
        };
        return OutgoingMessage.Json(parsed.ReplyTopic, MessageKind.Reply, reply, PayloadJsonContext.Default.CommandReplyPayload);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _requests.Dispose();
        _oneAtATime.Dispose();
    }

    private string? Freshness(MachineCommand command, DateTimeOffset now)
    {
        if (command.ExpiresAt is { } expires && now > expires)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"expired: 'expiresAt' is {expires.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffZ}, the gateway received it at {now.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffZ}; nothing applied");
        }

        if (command.SentAt is { } sent)
        {
            var age = now - sent;
            if (age > _options.MaxAge)
            {
                return string.Create(CultureInfo.InvariantCulture,
                    $"stale: 'ts' is {sent.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffZ}, {age.TotalSeconds:0} s before the gateway received it; the limit is EdgeOps:Mqtt:Commands:MaxAge = {_options.MaxAge}; nothing applied");
            }

            if (-age > _options.MaxAge)
            {
                return string.Create(CultureInfo.InvariantCulture,
                    $"'ts' is {sent.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffZ}, {-age.TotalSeconds:0} s ahead of the gateway's clock (more than EdgeOps:Mqtt:Commands:MaxAge = {_options.MaxAge}); check the sender's clock; nothing applied");
            }
        }

        return null;
    }
}
