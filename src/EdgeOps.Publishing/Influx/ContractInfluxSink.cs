using System.Buffers;
using System.Text;
using Microsoft.Extensions.Logging;

namespace EdgeOps.Publishing.Influx;

/// <summary>
/// Contract messages (topic + JSON payload) into InfluxDB: maps them with <see cref="ContractPointMapper"/>,
/// dead-letters what does not map, and hands the lines to <see cref="InfluxIngest"/> (batches, retries,
/// durable buffer). The historian feeds it from its MQTT subscription; a gateway can feed it the messages it
/// publishes, to write to an InfluxDB on the same device (the edge-local option) with the same schema.
/// </summary>
public sealed class ContractInfluxSink
{
    private const int MaxDeadLetterPayload = 65_536;
    private readonly InfluxIngest _ingest;
    private readonly IDeadLetterSink _deadLetters;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public ContractInfluxSink(InfluxIngest ingest, IDeadLetterSink deadLetters, TimeProvider time, ILogger logger)
    {
        _ingest = ingest;
        _deadLetters = deadLetters;
        _time = time;
        _logger = logger;
    }

    /// <summary>
    /// Queues one message. <paramref name="onDurable"/> runs (in submission order) once its points are stored,
    /// dead-lettered or buffered on disk; a message that does not map is dead-lettered before this returns.
    /// </summary>
    public async ValueTask<MapStatus> SubmitAsync(string topic, ReadOnlySequence<byte> payload,
        Func<CancellationToken, ValueTask>? onDurable, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(topic);
        var points = new List<InfluxPoint>(3);
        var status = ContractPointMapper.Map(topic, payload, points, out var error);
        IReadOnlyList<string> lines = [];
        if (status == MapStatus.Invalid)
        {
            var reason = error ?? "invalid";
            InfluxLog.MessageDeadLettered(_logger, topic, reason);
            await _deadLetters.WriteAsync(new DeadLetter(_time.GetUtcNow(), reason, topic, PayloadText(payload), null), cancellationToken)
                .ConfigureAwait(false);
        }
        else if (points.Count > 0)
        {
            var array = new string[points.Count];
            for (var i = 0; i < array.Length; i++)
            {
                array[i] = points[i].ToLineProtocol();
            }

            lines = array;
        }

        await _ingest.EnqueueAsync(lines, onDurable, cancellationToken).ConfigureAwait(false);
        return status;
    }

    /// <summary>Convenience for a payload in one buffer.</summary>
    public ValueTask<MapStatus> SubmitAsync(string topic, ReadOnlyMemory<byte> payload,
        Func<CancellationToken, ValueTask>? onDurable, CancellationToken cancellationToken) =>
        SubmitAsync(topic, new ReadOnlySequence<byte>(payload), onDurable, cancellationToken);

    private static string PayloadText(ReadOnlySequence<byte> payload)
    {
        // Kept as text for the operator; invalid UTF-8 shows as replacement characters rather than failing.
        var bytes = payload.Length > MaxDeadLetterPayload ? payload.Slice(0, MaxDeadLetterPayload).ToArray() : payload.ToArray();
        return Encoding.UTF8.GetString(bytes);
    }
}
