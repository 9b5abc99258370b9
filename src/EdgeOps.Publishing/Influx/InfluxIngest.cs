using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace EdgeOps.Publishing.Influx;

/// <summary>
/// Batches lines from many messages (up to <see cref="InfluxOptions.BatchSize"/> lines or
/// <see cref="InfluxOptions.FlushInterval"/>), writes each batch, and calls every message's
/// <c>onDurable</c> only once its lines are in InfluxDB, in the dead letters, or in the durable buffer.
/// While the buffer holds anything, new batches go to it too; a drain loop writes it back in order.
/// Used by the historian (MQTT acknowledgements) and by the gateway's edge-local writer.
/// </summary>
public sealed class InfluxIngest : IDisposable
{
    private readonly InfluxBatchWriter _writer;
    private readonly ISpillBuffer _buffer;
    private readonly InfluxOptions _options;
    private readonly InfluxIngestLimits _limits;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<IngestItem> _channel;
    private long _written;
    private long _spilled;
    private long _deadLettered;

    public InfluxIngest(InfluxBatchWriter writer, ISpillBuffer buffer, InfluxOptions options, InfluxIngestLimits limits,
        TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(limits);
        _writer = writer;
        _buffer = buffer;
        _options = options;
        _limits = limits;
        _time = time;
        _logger = logger;
        _channel = Channel.CreateBounded<IngestItem>(new BoundedChannelOptions(limits.QueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>Lines InfluxDB accepted (directly or from the buffer).</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>Lines that went to the durable buffer.</summary>
    public long Spilled => Interlocked.Read(ref _spilled);

    public long DeadLettered => Interlocked.Read(ref _deadLettered);

    /// <summary>Batches waiting in the durable buffer.</summary>
    public long Buffered => _buffer.Count;

    /// <summary>
    /// Queues one message's lines (possibly none: a dead-lettered message still needs its acknowledgement, in order).
    /// Waits when the queue is full, which holds back the MQTT receive loop.
    /// </summary>
    public ValueTask EnqueueAsync(IReadOnlyList<string> lines, Func<CancellationToken, ValueTask>? onDurable,
        CancellationToken cancellationToken) =>
        _channel.Writer.WriteAsync(new IngestItem(lines, onDurable), cancellationToken);

    /// <summary>Runs the batching loop and the buffer drain loop until cancelled.</summary>
    public Task RunAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(BatchLoopAsync(cancellationToken), DrainLoopAsync(cancellationToken));

    public void Dispose() => _channel.Writer.TryComplete();

    private async Task BatchLoopAsync(CancellationToken cancellationToken)
    {
        var reader = _channel.Reader;
        var lines = new List<string>(_options.BatchSize);
        var acks = new List<Func<CancellationToken, ValueTask>>();
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (!await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    return;
                }

                var started = _time.GetTimestamp();
                var lastArrival = started;
                while (true)
                {
                    while (lines.Count < _options.BatchSize && acks.Count < _limits.MaxUnacknowledged && reader.TryRead(out var item))
                    {
                        lines.AddRange(item.Lines);
                        if (item.OnDurable is not null)
                        {
                            acks.Add(item.OnDurable);
                        }

                        lastArrival = _time.GetTimestamp();
                    }

                    if (lines.Count >= _options.BatchSize || acks.Count >= _limits.MaxUnacknowledged)
                    {
                        break;
                    }

                    var remaining = _options.FlushInterval - _time.GetElapsedTime(started);
                    if (remaining <= TimeSpan.Zero)
                    {
                        break;
                    }

                    // A broker that sends only a few unacknowledged messages at a time (Mosquitto's default
                    // max_inflight_messages is 20) goes quiet until we acknowledge: flush after a short lull.
                    var lull = _limits.Linger - _time.GetElapsedTime(lastArrival);
                    if (lull <= TimeSpan.Zero)
                    {
                        break;
                    }

                    await WaitForMoreAsync(reader, remaining < lull ? remaining : lull, cancellationToken).ConfigureAwait(false);
                }

                await FlushAsync(lines, acks, cancellationToken).ConfigureAwait(false);
                lines.Clear();
                acks.Clear();
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // One pass failing must not stop the historian; the messages stay unacknowledged.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                InfluxLog.PassFailed(_logger, ex);
                lines.Clear();
                acks.Clear();
                await Task.Delay(TimeSpan.FromSeconds(1), _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task WaitForMoreAsync(ChannelReader<IngestItem> reader, TimeSpan wait, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(wait, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            await reader.WaitToReadAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The wait ran out: the caller decides whether to flush.
        }
    }

    private async Task FlushAsync(List<string> lines, List<Func<CancellationToken, ValueTask>> acks, CancellationToken cancellationToken)
    {
        if (lines.Count > 0)
        {
            var direct = _buffer.Count == 0;
            if (direct)
            {
                var result = await _writer.WriteAsync(lines, _options.RetryBudget, cancellationToken).ConfigureAwait(false);
                Interlocked.Add(ref _deadLettered, result.DeadLettered);
                if (result.Unavailable)
                {
                    await SpillAsync(lines, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    Interlocked.Add(ref _written, result.Written);
                }
            }
            else
            {
                await SpillAsync(lines, cancellationToken).ConfigureAwait(false);
            }
        }

        foreach (var ack in acks)
        {
            await ack(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task SpillAsync(List<string> lines, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await _buffer.AppendAsync(lines, cancellationToken).ConfigureAwait(false);
                Interlocked.Add(ref _spilled, lines.Count);
                InfluxLog.Spilled(_logger, lines.Count, _buffer.Count);
                return;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
#pragma warning disable CA1031 // A full or failing disk: keep trying; nothing is acknowledged meanwhile.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                InfluxLog.SpillFailed(_logger, ex);
                await Task.Delay(RetryDelay.Next(attempt, null, 0.5), _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task DrainLoopAsync(CancellationToken cancellationToken)
    {
        var attempt = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var batch = _buffer.Count == 0 ? null : await _buffer.PeekAsync(cancellationToken).ConfigureAwait(false);
                if (batch is null)
                {
                    await Task.Delay(_limits.DrainPollInterval, _time, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                var result = await _writer.WriteAsync(batch.Lines, TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
                if (result.Unavailable)
                {
                    var delay = RetryDelay.Next(attempt++, null, Random.Shared.NextDouble());
                    await Task.Delay(delay < _limits.MaxDrainBackoff ? delay : _limits.MaxDrainBackoff, _time, cancellationToken)
                        .ConfigureAwait(false);
                    continue;
                }

                attempt = 0;
                Interlocked.Add(ref _written, result.Written);
                Interlocked.Add(ref _deadLettered, result.DeadLettered);
                await _buffer.RemoveAsync(batch.Id, cancellationToken).ConfigureAwait(false);
                InfluxLog.Drained(_logger, batch.Lines.Count, _buffer.Count);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // Guarded pass: log, back off, continue.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                InfluxLog.PassFailed(_logger, ex);
                await Task.Delay(TimeSpan.FromSeconds(1), _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private readonly record struct IngestItem(IReadOnlyList<string> Lines, Func<CancellationToken, ValueTask>? OnDurable);
}
