namespace EdgeOps.Publishing.Outbox;

/// <summary>An async auto-reset signal: one waiter wakes per ring, rings while nobody waits are not lost.</summary>
internal sealed class Doorbell
{
    private readonly object _gate = new();
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _rung;

    public void Ring()
    {
        lock (_gate)
        {
            _rung = true;
            _next.TrySetResult();
        }
    }

    /// <summary>Waits for a ring or <paramref name="timeout"/> (infinite allowed).</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        Task wait;
        lock (_gate)
        {
            if (_rung)
            {
                _rung = false;
                return;
            }

            if (_next.Task.IsCompleted)
            {
                _next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            wait = _next.Task;
        }

        try
        {
            await wait.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The caller's deadline (rate limit, flush interval) came first.
        }

        lock (_gate)
        {
            _rung = false;
        }
    }
}
