using System.Threading.Channels;
using EdgeOps.OpcUa.Services;
using EdgeOps.OpcUa.Transport;
using EdgeOps.OpcUa.Types;

namespace EdgeOps.OpcUa.Client;

public sealed partial class OpcUaClient
{
    /// <summary>
    /// The Publish pipeline (Part 4 §5.13.5): keeps several Publish requests in flight on the current channel (fewer after
    /// BadTooManyPublishRequests), carries the acknowledgements, records when a response last arrived (the watchdog's
    /// evidence), and hands every response in arrival order to one processing loop. It owns that state; what a response
    /// means for a subscription (gaps, duplicates, delivery, recreation) stays with the client.
    /// </summary>
    private sealed class PublishPump(OpcUaClient client)
    {
        private readonly Channel<(UaTcpChannel Channel, UaResponse? Response, Exception? Error, int Generation)> _responses =
            Channel.CreateUnbounded<(UaTcpChannel, UaResponse?, Exception?, int)>(new UnboundedChannelOptions { SingleReader = true });
        private readonly List<SubscriptionAcknowledgement> _acks = [];
        private readonly object _gate = new();
        private Task? _processor;
        private int _outstanding;
        private int _onWire;
        private int _target;
        private long _lastResponse;

        /// <summary>Publish requests sent and not yet processed.</summary>
        public int Outstanding => Volatile.Read(ref _outstanding);

        /// <summary>Publish requests sent and not yet answered (a consumer holding the pipeline back leaves none).</summary>
        public int OnWire => Volatile.Read(ref _onWire);

        /// <summary>Timestamp (of the client's <see cref="TimeProvider"/>) of the last Publish response or <see cref="MarkAlive"/>.</summary>
        public long LastResponse => Interlocked.Read(ref _lastResponse);

        /// <summary>Restarts the watchdog's clock (after a reconnect, or when nothing is on the wire to be late).</summary>
        public void MarkAlive() => Interlocked.Exchange(ref _lastResponse, client._time.GetTimestamp());

        /// <summary>A new channel and session: nothing of the old one is in flight any more.</summary>
        public void Reset()
        {
            Interlocked.Exchange(ref _outstanding, 0);
            Interlocked.Exchange(ref _onWire, 0);
            MarkAlive();
        }

        /// <summary>Acknowledged with the next Publish request.</summary>
        public void Acknowledge(uint subscriptionId, uint sequence)
        {
            lock (_acks)
            {
                _acks.Add(new SubscriptionAcknowledgement(subscriptionId, sequence));
            }
        }

        /// <summary>Starts the processing loop once and fills the pipeline.</summary>
        public void Start()
        {
            lock (_gate)
            {
                _processor ??= Task.Run(() => ProcessAsync(client._disposing.Token), CancellationToken.None);
                if (_target == 0)
                {
                    _target = Math.Max(1, client._options.PublishRequestCount);
                }
            }

            TopUp();
        }

        /// <summary>Sends Publish requests until the target count is in flight (while there are subscriptions and a channel).</summary>
        public void TopUp()
        {
            if (client._disposing.IsCancellationRequested)
            {
                return;
            }

            int count;
            lock (client._subscriptions)
            {
                count = client._subscriptions.Count;
            }

            while (count > 0 && Volatile.Read(ref _outstanding) < _target)
            {
                var channel = client._channel;
                if (channel is null || !channel.IsOpen)
                {
                    return;
                }

                Interlocked.Increment(ref _outstanding);
                _ = SendAsync(channel);
            }
        }

        private async Task SendAsync(UaTcpChannel channel)
        {
            SubscriptionAcknowledgement[] acks;
            lock (_acks)
            {
                acks = [.. _acks];
                _acks.Clear();
            }

            TimeSpan keepAlive;
            lock (client._subscriptions)
            {
                keepAlive = client._subscriptions.Count == 0 ? TimeSpan.FromSeconds(10)
                    : client._subscriptions.Max(s => s.RevisedPublishingInterval * Math.Max(1, s.RevisedKeepAliveCount));
            }

            // A request may wait behind the others in the server's queue: the hint covers all of them (gopcua #270).
            var hint = keepAlive * (_target + 1) + TimeSpan.FromSeconds(10);
            // Answers to requests sent before the last recreate say nothing about the subscriptions we have now.
            var generation = Volatile.Read(ref client._subscriptionGeneration);
            var settled = 0;
            void Settle()
            {
                if (Interlocked.Exchange(ref settled, 1) == 0)
                {
                    Interlocked.Decrement(ref _onWire);
                }
            }

            var request = new PublishRequest { Acknowledgements = acks };
            request.Header = channel.NewHeader(client._authenticationToken, hint);
            try
            {
                Interlocked.Increment(ref _onWire);
                await channel.SendWithCallbackAsync(request, (r, e) =>
                {
                    // Liveness is judged on arrival, not on processing: a consumer that applies back-pressure must not
                    // look like a dead link to the watchdog.
                    Settle();
                    MarkAlive();
                    _responses.Writer.TryWrite((channel, r, e, generation));
                }, client._disposing.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OpcUaException or OperationCanceledException or ObjectDisposedException)
            {
                Settle();
                // The channel died; recovery resets the pipeline. Keep the acks for the next request.
                lock (_acks)
                {
                    _acks.AddRange(acks);
                }
            }
        }

        private async Task ProcessAsync(CancellationToken cancellationToken)
        {
            try
            {
                await foreach (var (channel, response, error, generation) in _responses.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                {
                    if (channel != client._channel)
                    {
                        continue; // from a channel that is gone; recovery restarted the pipeline
                    }

                    Interlocked.Decrement(ref _outstanding);
                    if (response is PublishResponse publish && publish.Header.ServiceResult.IsGood)
                    {
                        MarkAlive();
                        await client.HandlePublishAsync(publish, cancellationToken).ConfigureAwait(false);
                    }
                    else if (response is not null)
                    {
                        var status = response.Header.ServiceResult;
                        if (status.Is(StatusCode.BadTooManyPublishRequests))
                        {
                            _target = Math.Max(1, Volatile.Read(ref _outstanding));
                        }
                        else if (SessionGone.Any(s => status.Is(s)))
                        {
                            channel.Abort(); // the session is gone: recover
                            continue;
                        }
                        else if (status.Is(StatusCode.BadNoSubscription))
                        {
                            if (!await client.RecreateSilentlyDroppedAsync(generation, cancellationToken).ConfigureAwait(false))
                            {
                                await Task.Delay(TimeSpan.FromMilliseconds(200), client._time, cancellationToken).ConfigureAwait(false);
                            }
                        }
                    }
                    else if (error is not null && channel.IsOpen)
                    {
                        await Task.Delay(TimeSpan.FromMilliseconds(100), client._time, cancellationToken).ConfigureAwait(false);
                    }

                    TopUp();
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Shutting down.
            }
        }
    }
}
