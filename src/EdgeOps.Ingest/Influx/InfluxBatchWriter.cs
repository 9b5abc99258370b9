using Microsoft.Extensions.Logging;

namespace EdgeOps.Ingest;

/// <summary>
/// Writes a batch with retries (backoff, Retry-After) and, when the server rejects the content, splits it in
/// halves until the bad lines are isolated: they go to the dead letters with the server's reason, the rest is
/// written. InfluxDB 1.x stores the good lines of a rejected batch already; writing them again overwrites the
/// same points with the same values, so the split is safe.
/// </summary>
public sealed class InfluxBatchWriter
{
    private readonly IInfluxWriter _writer;
    private readonly IDeadLetterSink _deadLetters;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IngestMetrics? _metrics;

    /// <summary>Writes through <paramref name="writer"/>; <paramref name="metrics"/> null measures nothing.</summary>
    public InfluxBatchWriter(IInfluxWriter writer, IDeadLetterSink deadLetters, TimeProvider time, ILogger logger, IngestMetrics? metrics = null)
    {
        _metrics = metrics;
        _writer = writer;
        _deadLetters = deadLetters;
        _time = time;
        _logger = logger;
    }

    public string Endpoint => _writer.Endpoint;

    /// <summary>
    /// Writes <paramref name="lines"/>, retrying while <paramref name="retryBudget"/> lasts. A zero budget makes one attempt per request.
    /// </summary>
    public Task<BatchWriteResult> WriteAsync(IReadOnlyList<string> lines, TimeSpan retryBudget, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var batch = new LineBatch(lines);
        return WriteAsync(batch, 0, batch.Count, retryBudget, cancellationToken);
    }

    /// <summary>
    /// Writes lines <paramref name="start"/> to <paramref name="start"/> + <paramref name="count"/> - 1 of
    /// <paramref name="lines"/> in one request (split only when the server rejects the content), retrying while
    /// <paramref name="retryBudget"/> lasts. A zero budget makes one attempt per request.
    /// </summary>
    public async Task<BatchWriteResult> WriteAsync(LineBatch lines, int start, int count, TimeSpan retryBudget, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lines);
        if (count == 0)
        {
            return new BatchWriteResult(false, 0, 0, null);
        }

        var deadline = _time.GetTimestamp() + (long)(retryBudget.TotalSeconds * _time.TimestampFrequency);
        var state = new SplitState();
        await WriteRangeAsync(lines, start, count, deadline, state, cancellationToken).ConfigureAwait(false);
        return new BatchWriteResult(state.Unavailable, state.Written, state.DeadLettered, state.LastError);
    }

    private async Task WriteRangeAsync(LineBatch lines, int start, int count, long deadline, SplitState state,
        CancellationToken cancellationToken)
    {
        if (state.Unavailable)
        {
            return;
        }

        var body = lines.Body(start, count);
        for (var attempt = 0; ; attempt++)
        {
            var sent = _time.GetTimestamp();
            var outcome = await _writer.WriteAsync(body, cancellationToken).ConfigureAwait(false);
            switch (outcome.Status)
            {
                case InfluxWriteStatus.Accepted:
                    _metrics?.Written(count, _time.GetElapsedTime(sent));
                    state.Written += count;
                    return;
                case InfluxWriteStatus.Rejected when count == 1:
                    var reason = $"rejected by {_writer.Endpoint} ({outcome.HttpStatus}): {outcome.Message}";
                    await _deadLetters.WriteAsync(new DeadLetter(_time.GetUtcNow(), reason, null, null, lines[start]), cancellationToken)
                        .ConfigureAwait(false);
                    InfluxLog.LineDeadLettered(_logger, _writer.Endpoint, outcome.Message ?? string.Empty);
                    state.DeadLettered++;
                    return;
                case InfluxWriteStatus.Rejected:
                    var half = count / 2;
                    await WriteRangeAsync(lines, start, half, deadline, state, cancellationToken).ConfigureAwait(false);
                    await WriteRangeAsync(lines, start + half, count - half, deadline, state, cancellationToken).ConfigureAwait(false);
                    return;
                default:
                    state.LastError = outcome.Message;
                    var delay = RetryDelay.Next(attempt, outcome.RetryAfter, Random.Shared.NextDouble());
                    var now = _time.GetTimestamp();
                    if (now + (long)(delay.TotalSeconds * _time.TimestampFrequency) > deadline)
                    {
                        InfluxLog.WriteUnavailable(_logger, _writer.Endpoint, outcome.HttpStatus ?? 0, outcome.Message ?? string.Empty);
                        state.Unavailable = true;
                        return;
                    }

                    await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
                    break;
            }
        }
    }

    private sealed class SplitState
    {
        public bool Unavailable { get; set; }

        public int Written { get; set; }

        public int DeadLettered { get; set; }

        public string? LastError { get; set; }
    }
}
