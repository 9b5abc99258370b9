using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace EdgeOps.Ingest;

/// <summary>
/// The path from raw messages to InfluxDB, shared by the historian (MQTT acknowledgements) and the gateway's
/// edge-local writer. Four stages, so the producer (the MQTT receive callback) only enqueues:
/// <list type="number">
/// <item>a batcher cuts the queue into batches of about <see cref="InfluxOptions.BatchSize"/> lines, or what arrived
/// within <see cref="InfluxOptions.FlushInterval"/> / a short lull, or as many messages as the broker lets wait unacknowledged;</item>
/// <item><see cref="InfluxOptions.WritesInFlight"/> workers each map a batch (<see cref="IIngestMapper"/>) and write it
/// (retries, splitting rejected lines) or, when InfluxDB stays unavailable, append it to the durable buffer;</item>
/// <item>an acknowledger runs every message's <c>onDurable</c> in enqueue order, batch after batch, once its batch is
/// stored, dead-lettered or buffered; batches finishing out of order wait for the earlier ones;</item>
/// <item>a drain loop writes the durable buffer back in order. While it holds anything, new batches go to it too.</item>
/// </list>
/// </summary>
public sealed class InfluxIngest : IDisposable
{
    private readonly InfluxBatchWriter _writer;
    private readonly ISpillBuffer _buffer;
    private readonly IIngestMapper _mapper;
    private readonly InfluxOptions _options;
    private readonly InfluxIngestLimits _limits;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<IngestMessage> _input;
    private readonly Channel<IngestBatch> _toWrite;
    private readonly Channel<IngestBatch> _toAcknowledge;
    private readonly SemaphoreSlim _spillGate = new(1, 1);
    private double _linesPerMessage = 1;
    private long _unacknowledged;
    private long _written;
    private long _spilled;
    private long _deadLettered;
    private long _acknowledged;
    private long _firstEnqueued;
    private Task _pipeline = Task.CompletedTask;

    public InfluxIngest(InfluxBatchWriter writer, ISpillBuffer buffer, IIngestMapper mapper, InfluxOptions options,
        InfluxIngestLimits limits, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(limits);
        _writer = writer;
        _buffer = buffer;
        _mapper = mapper;
        _options = options;
        _limits = limits;
        _time = time;
        _logger = logger;
        _input = Channel.CreateBounded<IngestMessage>(new BoundedChannelOptions(limits.QueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _toWrite = Channel.CreateBounded<IngestBatch>(new BoundedChannelOptions(Math.Max(1, options.WritesInFlight))
        {
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _toAcknowledge = Channel.CreateUnbounded<IngestBatch>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    }

    /// <summary>Lines InfluxDB accepted (directly or from the buffer).</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>Lines that went to the durable buffer.</summary>
    public long Spilled => Interlocked.Read(ref _spilled);

    /// <summary>Lines InfluxDB rejected, now in the dead letters.</summary>
    public long DeadLettered => Interlocked.Read(ref _deadLettered);

    /// <summary>
    /// Raised on the acknowledger for a batch that was neither stored, dead-lettered nor buffered (an error writing it,
    /// e.g. a dead letter on a full disk), with its message count: those messages stay unacknowledged. A consumer that
    /// can have them delivered again (the historian: a new MQTT connection) should do so.
    /// </summary>
    public event Action<int>? BatchFailed;

    /// <summary>Messages whose <c>onDurable</c> has run.</summary>
    public long Acknowledged => Interlocked.Read(ref _acknowledged);

    /// <summary>Batches waiting in the durable buffer.</summary>
    public long Buffered => _buffer.Count;

    /// <summary>
    /// The <see cref="TimeProvider.GetTimestamp"/> of the first message queued, 0 until then: lets a measurement start
    /// at the first message rather than at the host's start.
    /// </summary>
    public long FirstEnqueuedTimestamp => Volatile.Read(ref _firstEnqueued);

    /// <summary>
    /// Queues one message. Waits when the queue is full (<see cref="InfluxIngestLimits.QueueCapacity"/>), which holds
    /// back the MQTT receive loop.
    /// </summary>
    public ValueTask EnqueueAsync(string topic, ReadOnlyMemory<byte> payload, Func<CancellationToken, ValueTask>? onDurable,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(topic);
        NoteFirst();
        return _input.Writer.WriteAsync(new IngestMessage(topic, payload, onDurable), cancellationToken);
    }

    /// <summary>Queues one message if there is room; never waits (for callers on a thread that must not block).</summary>
    public bool TryEnqueue(string topic, ReadOnlyMemory<byte> payload, Func<CancellationToken, ValueTask>? onDurable)
    {
        ArgumentNullException.ThrowIfNull(topic);
        NoteFirst();
        return _input.Writer.TryWrite(new IngestMessage(topic, payload, onDurable));
    }

    /// <summary>Runs the batcher, the write workers, the acknowledger and the buffer drain until cancelled.</summary>
    public Task RunAsync(CancellationToken cancellationToken)
    {
        var tasks = new List<Task>
        {
            BatchLoopAsync(cancellationToken),
            AcknowledgeLoopAsync(cancellationToken),
        };
        for (var i = 0; i < Math.Max(1, _options.WritesInFlight); i++)
        {
            tasks.Add(WriteLoopAsync(cancellationToken));
        }

        _pipeline = Task.WhenAll(tasks);
        return Task.WhenAll(_pipeline, DrainLoopAsync(cancellationToken));
    }

    /// <summary>
    /// Graceful stop: takes no more messages and waits (up to <paramref name="timeout"/>) until everything queued is
    /// written, dead-lettered or in the durable buffer. Returns false on timeout. Cancel <see cref="RunAsync"/> afterwards.
    /// </summary>
    public async Task<bool> CompleteAsync(TimeSpan timeout)
    {
        _input.Writer.TryComplete();
        var pipeline = _pipeline;
        return await Task.WhenAny(pipeline, Task.Delay(timeout)).ConfigureAwait(false) == pipeline;
    }

    public void Dispose()
    {
        _input.Writer.TryComplete();
        _spillGate.Dispose();
    }

    private void NoteFirst()
    {
        if (Volatile.Read(ref _firstEnqueued) == 0)
        {
            Interlocked.CompareExchange(ref _firstEnqueued, _time.GetTimestamp(), 0);
        }
    }

    private async Task BatchLoopAsync(CancellationToken cancellationToken)
    {
        var reader = _input.Reader;
        try
        {
            while (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var batch = new IngestBatch();
                var started = _time.GetTimestamp();
                var lastArrival = started;
                var perMessage = Volatile.Read(ref _linesPerMessage);
                while (true)
                {
                    while ((batch.Messages.Count == 0 || !Full(batch, perMessage)) && reader.TryRead(out var item))
                    {
                        batch.Messages.Add(item);
                        if (item.OnDurable is not null)
                        {
                            batch.Acknowledgements++;
                            Interlocked.Increment(ref _unacknowledged);
                        }

                        lastArrival = _time.GetTimestamp();
                    }

                    if (Full(batch, perMessage) || reader.Completion.IsCompleted)
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

                // The acknowledger learns of the batch first, so it acknowledges batches in the order they were cut.
                await _toAcknowledge.Writer.WriteAsync(batch, cancellationToken).ConfigureAwait(false);
                await _toWrite.Writer.WriteAsync(batch, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            _toWrite.Writer.TryComplete();
            _toAcknowledge.Writer.TryComplete();
        }
    }

    /// <summary>
    /// Enough lines for one request, or as many messages waiting for acknowledgement (here and in earlier batches)
    /// as the broker allows: it sends nothing more until some are acknowledged, so waiting would only wait.
    /// </summary>
    private bool Full(IngestBatch batch, double linesPerMessage) =>
        batch.Messages.Count * linesPerMessage >= _options.BatchSize
        || Interlocked.Read(ref _unacknowledged) >= _limits.MaxUnacknowledged;

    private async Task WaitForMoreAsync(ChannelReader<IngestMessage> reader, TimeSpan wait, CancellationToken cancellationToken)
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

    private async Task WriteLoopAsync(CancellationToken cancellationToken)
    {
        var lines = new LineBatch(_options.BatchSize * 256);
        try
        {
            await foreach (var batch in _toWrite.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    lines.Clear();
                    await _mapper.MapAsync(batch.Messages, lines, cancellationToken).ConfigureAwait(false);
                    if (batch.Messages.Count > 0)
                    {
                        var observed = (double)lines.Count / batch.Messages.Count;
                        Volatile.Write(ref _linesPerMessage, Math.Max(0.5, (0.7 * Volatile.Read(ref _linesPerMessage)) + (0.3 * observed)));
                    }

                    await WriteOrSpillAsync(lines, cancellationToken).ConfigureAwait(false);
                    batch.Done.TrySetResult(true);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    batch.Done.TrySetResult(false);
                    throw;
                }
#pragma warning disable CA1031 // One batch failing must not stop the pipeline; its messages stay unacknowledged.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    InfluxLog.PassFailed(_logger, ex);
                    batch.Done.TrySetResult(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Writes the lines in requests of at most <see cref="InfluxOptions.BatchSize"/>; what InfluxDB cannot take goes to the buffer.</summary>
    private async Task WriteOrSpillAsync(LineBatch lines, CancellationToken cancellationToken)
    {
        for (var start = 0; start < lines.Count; start += _options.BatchSize)
        {
            var count = Math.Min(_options.BatchSize, lines.Count - start);
            if (_buffer.Count > 0)
            {
                // Older points wait in the buffer: these queue behind them.
                await SpillAsync(lines.ToStrings(start, lines.Count - start), cancellationToken).ConfigureAwait(false);
                return;
            }

            var result = await _writer.WriteAsync(lines, start, count, _options.RetryBudget, cancellationToken).ConfigureAwait(false);
            Interlocked.Add(ref _deadLettered, result.DeadLettered);
            if (result.Unavailable)
            {
                await SpillAsync(lines.ToStrings(start, lines.Count - start), cancellationToken).ConfigureAwait(false);
                return;
            }

            Interlocked.Add(ref _written, result.Written);
        }
    }

    private async Task SpillAsync(List<string> lines, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await _spillGate.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    await _buffer.AppendAsync(lines, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    _spillGate.Release();
                }

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

    private async Task AcknowledgeLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var batch in _toAcknowledge.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                var durable = await batch.Done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
                if (durable)
                {
                    foreach (var message in batch.Messages)
                    {
                        if (message.OnDurable is { } onDurable)
                        {
                            await onDurable(cancellationToken).ConfigureAwait(false);
                        }
                    }

                    Interlocked.Add(ref _acknowledged, batch.Acknowledgements);
                }
                else if (!cancellationToken.IsCancellationRequested)
                {
                    BatchFailed?.Invoke(batch.Messages.Count);
                }

                // Failed batches stay unacknowledged (the broker redelivers them after a reconnect), but no longer
                // count against the window: later batches must not wait for them.
                Interlocked.Add(ref _unacknowledged, -batch.Acknowledgements);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
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
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), _time, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private sealed class IngestBatch
    {
        public List<IngestMessage> Messages { get; } = [];

        public int Acknowledgements { get; set; }

        /// <summary>True: every message is stored, dead-lettered or buffered. False: failed or cancelled, do not acknowledge.</summary>
        public TaskCompletionSource<bool> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
