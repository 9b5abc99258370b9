using System.Text;
using Microsoft.Extensions.Logging;

namespace EdgeOps.Ingest;

/// <summary>
/// Contract messages (topic + JSON payload) to line protocol for <see cref="InfluxIngest"/>: maps each with
/// <see cref="ContractPointMapper"/> and dead-letters what does not map (durably, before its batch counts as
/// done, so the message's acknowledgement never precedes its dead letter). Runs on the ingest's write workers,
/// never on the MQTT receive path. Shared by the historian and the gateway's edge-local writer.
/// </summary>
public sealed class ContractLineMapper : IIngestMapper
{
    private const int MaxDeadLetterPayload = 65_536;

    private readonly IDeadLetterSink _deadLetters;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IngestMetrics? _metrics;
    private long _invalid;
    private long _ignored;

    /// <summary>Maps with <paramref name="deadLetters"/> for what does not map; <paramref name="metrics"/> null counts nothing.</summary>
    public ContractLineMapper(IDeadLetterSink deadLetters, TimeProvider time, ILogger logger, IngestMetrics? metrics = null)
    {
        _metrics = metrics;
        _deadLetters = deadLetters;
        _time = time;
        _logger = logger;
    }

    /// <summary>Messages that did not map and went to the dead letters.</summary>
    public long Invalid => Interlocked.Read(ref _invalid);

    /// <summary>Messages that are not history (command topics), dropped on purpose.</summary>
    public long Ignored => Interlocked.Read(ref _ignored);

    public async ValueTask MapAsync(IReadOnlyList<IngestMessage> messages, LineBatch lines, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(lines);
        var points = new List<InfluxPoint>(4);
        var builder = new StringBuilder(1024);
        foreach (var message in messages)
        {
            // The hot path maps straight from the payload bytes; whatever it declines (bad input among it) is
            // mapped below, which gives the same lines or the error and the dead letter.
            if (ContractLineFastPath.TryMap(message.Topic, message.Payload, lines))
            {
                continue;
            }

            points.Clear();
            var status = ContractPointMapper.Map(message.Topic, message.Payload, points, out var error);
            switch (status)
            {
                case MapStatus.Invalid:
                    Interlocked.Increment(ref _invalid);
                    _metrics?.DeadLettered();
                    var reason = error ?? "invalid";
                    InfluxLog.MessageDeadLettered(_logger, message.Topic, reason);
                    await _deadLetters.WriteAsync(new DeadLetter(_time.GetUtcNow(), reason, message.Topic, PayloadText(message.Payload), null),
                        cancellationToken).ConfigureAwait(false);
                    break;
                case MapStatus.Ignored:
                    Interlocked.Increment(ref _ignored);
                    break;
                default:
                    foreach (var point in points)
                    {
                        builder.Clear();
                        point.AppendTo(builder);
                        lines.Add(builder.ToString());
                    }

                    break;
            }
        }
    }

    private static string PayloadText(ReadOnlyMemory<byte> payload)
    {
        // Kept as text for the operator; invalid UTF-8 shows as replacement characters rather than failing.
        var span = payload.Span;
        return Encoding.UTF8.GetString(span.Length > MaxDeadLetterPayload ? span[..MaxDeadLetterPayload] : span);
    }
}
