using EdgeOps.OpcUa.Types;

namespace EdgeOps.OpcUa.Client;

public sealed partial class OpcUaClient
{
    /// <summary>Keeps the link alive: watchdog while connected, reconnect with backoff forever when it drops.</summary>
    private async Task SuperviseAsync(CancellationToken cancellationToken)
    {
        var lastKeepAlive = _time.GetTimestamp();
        _publish.MarkAlive();
        while (!cancellationToken.IsCancellationRequested)
        {
            var channel = _channel!;
            try
            {
                await Task.WhenAny(channel.Completion, Task.Delay(TimeSpan.FromMilliseconds(500), _time, cancellationToken)).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            cancellationToken.ThrowIfCancellationRequested();
            if (channel.IsOpen)
            {
                lastKeepAlive = await WatchAsync(channel, lastKeepAlive, cancellationToken).ConfigureAwait(false);
                continue;
            }

            var reason = await channel.Completion.ConfigureAwait(false);
            var securityFailure = channel.SecurityFailures > 0;
            if (securityFailure)
            {
                SecurityFailures++;
            }

            // A chunk that failed its signature check may have been altered on the way: say so, then reconnect as after any loss.
            SetState(ConnectionState.Reconnecting, reason, securityFailure
                ? $"link to {_options.EndpointUrl} closed: {reason?.Message}"
                : $"link to {_options.EndpointUrl} lost");
            var delay = _options.ReconnectMinDelay;
            var first = true;
            while (!cancellationToken.IsCancellationRequested)
            {
                if (!first)
                {
                    await WaitForListenerAsync(delay, cancellationToken).ConfigureAwait(false);
                    delay = Backoff.Next(delay, _options.ReconnectMaxDelay);
                }

                first = false;
                await _sessionLock.WaitAsync(cancellationToken).ConfigureAwait(false);
                _recovering = true;
                try
                {
                    var reactivated = await EstablishAsync(reuseSession: true, cancellationToken).ConfigureAwait(false);
                    var detail = await RestoreSubscriptionsAsync(reactivated, cancellationToken).ConfigureAwait(false);
                    Reconnects++;
                    _recovering = false;
                    SetState(ConnectionState.Connected, null, detail);
                    _publish.TopUp();
                    lastKeepAlive = _time.GetTimestamp();
                    break;
                }
#pragma warning disable CA1031 // The loop must survive anything one attempt throws: it retries forever.
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
                {
                    _channel?.Abort();
                    SetState(ConnectionState.Reconnecting, ex, $"reconnect to {_options.EndpointUrl} failed; retrying in {delay.TotalSeconds:0.#} s");
                }
                finally
                {
                    _recovering = false;
                    _sessionLock.Release();
                }
            }
        }
    }

    /// <summary>
    /// Waits out the backoff delay, but returns as soon as the server accepts TCP connections again: a bare TCP
    /// probe costs the server nothing (no channel, no session), so a restarted PLC is back in use at once while
    /// full session attempts stay spaced out.
    /// </summary>
    private async Task WaitForListenerAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        var start = _time.GetTimestamp();
        while (_time.GetElapsedTime(start) < delay)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(250), _time, cancellationToken).ConfigureAwait(false);
            using var probe = new System.Net.Sockets.TcpClient();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromMilliseconds(500));
            try
            {
                await probe.ConnectAsync(_endpointUri.Host, _endpointUri.Port < 0 ? 4840 : _endpointUri.Port, timeout.Token).ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (ex is System.Net.Sockets.SocketException || ex is OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // Still down: keep waiting.
            }
        }
    }

    /// <summary>Watchdog: publish responses must keep coming; without subscriptions, read the server state now and then.</summary>
    private async Task<long> WatchAsync(Transport.UaTcpChannel channel, long lastKeepAlive, CancellationToken cancellationToken)
    {
        TimeSpan? publishLimit = null;
        lock (_subscriptions)
        {
            if (_subscriptions.Count > 0)
            {
                publishLimit = _subscriptions.Max(s => s.RevisedPublishingInterval * Math.Max(1, s.RevisedKeepAliveCount)) * 2 + TimeSpan.FromSeconds(3);
            }
        }

        if (publishLimit is not null && _publish.OnWire <= 0)
        {
            // No Publish request is waiting for an answer (the consumer holds the pipeline back): nothing is overdue,
            // so check the link with the ServerState read below instead.
            _publish.MarkAlive();
            publishLimit = null;
        }

        if (publishLimit is { } limit)
        {
            if (_time.GetElapsedTime(_publish.LastResponse) > limit)
            {
                channel.Abort(); // no publish response within keep-alive: the link is dead even if TCP does not know yet
            }

            return lastKeepAlive;
        }

        var period = TimeSpan.FromTicks(Math.Min(SessionTimeout.Ticks * 2 / 3, TimeSpan.FromSeconds(20).Ticks));
        if (period <= TimeSpan.Zero || _time.GetElapsedTime(lastKeepAlive) < period)
        {
            return lastKeepAlive;
        }

        try
        {
            await ReadAsync([WellKnownNodes.ServerState], Attributes.Value, cancellationToken).ConfigureAwait(false);
        }
        catch (OpcUaException)
        {
            channel.Abort();
        }

        return _time.GetTimestamp();
    }
}
