using System.Threading.Channels;
using EdgeOps.OpcUa.Services;
using EdgeOps.OpcUa.Subscriptions;
using EdgeOps.OpcUa.Transport;
using EdgeOps.OpcUa.Types;

namespace EdgeOps.OpcUa.Client;

public sealed partial class OpcUaClient
{
    private int _subscriptionGeneration;
    private volatile bool _recovering;

    /// <summary>
    /// Raised when the server ends a subscription: a StatusChangeNotification (BadTimeout, GoodSubscriptionTransferred),
    /// or Publish answered BadNoSubscription although we hold subscriptions (dropped silently). The subscription is
    /// then recreated with the same client handles. Runs on the publish pipeline: keep handlers short.
    /// </summary>
    public event EventHandler<SubscriptionStatusChange>? StatusChanged;

    /// <summary>Publish requests currently in flight.</summary>
    public int OutstandingPublishRequests => _publish.Outstanding;

    /// <summary>Creates a subscription; add items with <see cref="OpcUaSubscription.AddItemsAsync"/>.</summary>
    public async Task<OpcUaSubscription> CreateSubscriptionAsync(SubscriptionOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var subscription = new OpcUaSubscription(this, options);
        await CreateOnServerAsync(subscription, cancellationToken).ConfigureAwait(false);
        lock (_subscriptions)
        {
            _subscriptions.Add(subscription);
        }

        _publish.Start();
        return subscription;
    }

    private async Task CreateOnServerAsync(OpcUaSubscription subscription, CancellationToken cancellationToken)
    {
        var options = subscription.Options;
        var response = await CallAsync<CreateSubscriptionResponse>(new CreateSubscriptionRequest
        {
            RequestedPublishingInterval = options.PublishingInterval.TotalMilliseconds,
            RequestedMaxKeepAliveCount = options.KeepAliveCount,
            RequestedLifetimeCount = Math.Max(options.LifetimeCount, options.KeepAliveCount * 3),
            MaxNotificationsPerPublish = options.MaxNotificationsPerPublish,
            PublishingEnabled = true,
        }, "CreateSubscription", cancellationToken).ConfigureAwait(false);
        subscription.Id = response.SubscriptionId;
        subscription.RevisedPublishingInterval = TimeSpan.FromMilliseconds(response.RevisedPublishingInterval);
        subscription.RevisedKeepAliveCount = response.RevisedMaxKeepAliveCount;
        subscription.LastSequenceNumber = 0;
    }

    internal async Task<IReadOnlyList<MonitoredItemResult>> CreateItemsAsync(OpcUaSubscription subscription, IReadOnlyList<MonitoredItemRequest> items,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        var resolved = new NodeId?[items.Count];
        var failures = new StatusCode[items.Count];
        var pathIndexes = new List<int>();
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            if (item.BrowsePath is not null)
            {
                pathIndexes.Add(i);
            }
            else if (item.NodeId is null)
            {
                failures[i] = StatusCode.BadNodeIdInvalid;
            }
            else if (item.NamespaceUri is not null)
            {
                var ns = NamespaceIndex(item.NamespaceUri);
                if (ns < 0)
                {
                    failures[i] = StatusCode.BadNodeIdUnknown;
                }
                else
                {
                    resolved[i] = new ExpandedNodeId(item.NodeId, item.NamespaceUri).ToNodeId(NamespaceArray);
                }
            }
            else
            {
                resolved[i] = item.NodeId;
            }
        }

        if (pathIndexes.Count > 0)
        {
            var translated = await TranslateAsync([.. pathIndexes.Select(i => items[i].BrowsePath!)], cancellationToken).ConfigureAwait(false);
            for (var k = 0; k < pathIndexes.Count; k++)
            {
                resolved[pathIndexes[k]] = translated[k].NodeId;
                failures[pathIndexes[k]] = translated[k].Status;
            }
        }

        var results = new MonitoredItemResult[items.Count];
        var serverIds = new uint[items.Count];
        var toCreate = Enumerable.Range(0, items.Count).Where(i => resolved[i] is not null).ToList();
        foreach (var i in Enumerable.Range(0, items.Count).Where(i => resolved[i] is null))
        {
            results[i] = new MonitoredItemResult(items[i].ClientHandle, null, failures[i].IsBad ? failures[i] : StatusCode.BadNodeIdUnknown, TimeSpan.Zero);
        }

        foreach (var batch in toCreate.Chunk(OperationLimits.Batch(Limits.MaxMonitoredItemsPerCall, 1000)))
        {
            var response = await CallAsync<CreateMonitoredItemsResponse>(new CreateMonitoredItemsRequest
            {
                SubscriptionId = subscription.Id,
                TimestampsToReturn = TimestampsToReturn.Both,
                ItemsToCreate = [.. batch.Select(i => new MonitoredItemCreateRequest(
                    new ReadValueId(resolved[i]!), items[i].ClientHandle, items[i].SamplingInterval.TotalMilliseconds,
                    items[i].Deadband == DeadbandKind.None ? null : new DataChangeFilter(1, (uint)items[i].Deadband, items[i].DeadbandValue),
                    items[i].QueueSize))],
            }, "CreateMonitoredItems", cancellationToken).ConfigureAwait(false);
            CheckCount(response.Results.Length, batch.Length, "CreateMonitoredItems");
            for (var k = 0; k < batch.Length; k++)
            {
                var r = response.Results[k];
                results[batch[k]] = new MonitoredItemResult(items[batch[k]].ClientHandle, resolved[batch[k]], r.StatusCode,
                    TimeSpan.FromMilliseconds(r.RevisedSamplingInterval));
                serverIds[batch[k]] = r.MonitoredItemId;
            }
        }

        for (var i = 0; i < items.Count; i++)
        {
            subscription.Record(items[i], results[i], serverIds[i]);
        }

        return results;
    }

    internal async Task<IReadOnlyList<MonitoredItemResult>> ModifyItemsAsync(OpcUaSubscription subscription, IReadOnlyList<MonitoredItemRequest> items,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        var results = new MonitoredItemResult[items.Count];
        var updated = new MonitoredItemRequest[items.Count];
        var toModify = new List<(int Index, uint ServerId)>();
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            if (!subscription.TryGetItem(item.ClientHandle, out var current, out var result, out var serverId) || serverId == 0)
            {
                results[i] = new MonitoredItemResult(item.ClientHandle, result?.NodeId, StatusCode.BadMonitoredItemIdInvalid, TimeSpan.Zero);
                continue;
            }

            // The node stays; only the monitoring parameters change (and are kept for a later recreate).
            updated[i] = current with
            {
                SamplingInterval = item.SamplingInterval,
                QueueSize = item.QueueSize,
                Deadband = item.Deadband,
                DeadbandValue = item.DeadbandValue,
            };
            results[i] = result;
            toModify.Add((i, serverId));
        }

        foreach (var batch in toModify.Chunk(OperationLimits.Batch(Limits.MaxMonitoredItemsPerCall, 1000)))
        {
            var response = await CallAsync<ModifyMonitoredItemsResponse>(new ModifyMonitoredItemsRequest
            {
                SubscriptionId = subscription.Id,
                TimestampsToReturn = TimestampsToReturn.Both,
                ItemsToModify = [.. batch.Select(b => new MonitoredItemModifyRequest(b.ServerId, updated[b.Index].ClientHandle,
                    updated[b.Index].SamplingInterval.TotalMilliseconds,
                    updated[b.Index].Deadband == DeadbandKind.None ? null
                        : new DataChangeFilter(1, (uint)updated[b.Index].Deadband, updated[b.Index].DeadbandValue),
                    updated[b.Index].QueueSize))],
            }, "ModifyMonitoredItems", cancellationToken).ConfigureAwait(false);
            CheckCount(response.Results.Length, batch.Length, "ModifyMonitoredItems");
            for (var k = 0; k < batch.Length; k++)
            {
                var (index, serverId) = batch[k];
                var r = response.Results[k];
                var previous = results[index];
                if (r.StatusCode.IsGood)
                {
                    results[index] = previous with { Status = r.StatusCode, RevisedSamplingInterval = TimeSpan.FromMilliseconds(r.RevisedSamplingInterval) };
                    subscription.Record(updated[index], results[index], serverId);
                }
                else
                {
                    // The item keeps running with its old parameters; report why the change was refused.
                    results[index] = previous with { Status = r.StatusCode };
                }
            }
        }

        return results;
    }

    private OpcUaSubscription? FindSubscription(uint id)
    {
        lock (_subscriptions)
        {
            return _subscriptions.FirstOrDefault(s => s.Id == id);
        }
    }

    /// <summary>What a good Publish response means for its subscription: gaps republished, duplicates dropped, data delivered.</summary>
    private async Task HandlePublishAsync(PublishResponse publish, CancellationToken cancellationToken)
    {
        var subscription = FindSubscription(publish.SubscriptionId);
        var message = publish.Message;
        if (subscription is null)
        {
            if (message.NotificationData.Length > 0)
            {
                _publish.Acknowledge(publish.SubscriptionId, message.SequenceNumber);
            }

            return;
        }

        var last = subscription.LastSequenceNumber;
        if (message.NotificationData.Length == 0)
        {
            // A keep-alive carries the number the next message will have: anything between was missed.
            if (last != 0 && message.SequenceNumber > last + 1)
            {
                await RepublishAsync(subscription, last + 1, message.SequenceNumber - 1, cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        var sequence = message.SequenceNumber;
        if (last != 0 && sequence <= last && last - sequence < 1_000_000)
        {
            _publish.Acknowledge(subscription.Id, sequence); // already delivered (republished earlier)
            return;
        }

        if (last != 0 && sequence > last + 1)
        {
            await RepublishAsync(subscription, last + 1, sequence - 1, cancellationToken).ConfigureAwait(false);
        }

        await DeliverAsync(subscription, message, cancellationToken).ConfigureAwait(false);
    }

    private async Task RepublishAsync(OpcUaSubscription subscription, uint from, uint to, CancellationToken cancellationToken)
    {
        for (var sequence = from; sequence <= to && sequence - from < 1000; sequence++)
        {
            try
            {
                var response = await CallAsync<RepublishResponse>(new RepublishRequest
                {
                    SubscriptionId = subscription.Id,
                    RetransmitSequenceNumber = sequence,
                }, "Republish", cancellationToken).ConfigureAwait(false);
                subscription.MessagesRepublished++;
                await DeliverAsync(subscription, response.Message, cancellationToken).ConfigureAwait(false);
            }
            catch (OpcUaException)
            {
                // BadMessageNotAvailable: the server no longer has it.
                subscription.MessagesLost++;
                subscription.LastSequenceNumber = sequence;
            }
        }
    }

    private async Task DeliverAsync(OpcUaSubscription subscription, NotificationMessage message, CancellationToken cancellationToken)
    {
        subscription.MessagesReceived++;
        var writer = subscription.Writer;
        StatusCode? statusChange = null;
        foreach (var data in message.NotificationData)
        {
            if (data.Body is DataChangeNotification change)
            {
                try
                {
                    if (subscription.Options.ValueHandler is { } handler)
                    {
                        await handler(change.Memory, cancellationToken).ConfigureAwait(false);
                        continue;
                    }

                    for (var i = 0; i < change.Count; i++)
                    {
                        var value = change.MonitoredItems[i];
                        if (!writer.TryWrite(value))
                        {
                            await writer.WriteAsync(value, cancellationToken).ConfigureAwait(false);
                        }
                    }
                }
                finally
                {
                    change.Release();
                }
            }
            else if (data.Body is StatusChangeNotification status)
            {
                statusChange = status.Status;
            }
        }

        subscription.LastSequenceNumber = message.SequenceNumber;
        _publish.Acknowledge(subscription.Id, message.SequenceNumber);
        if (statusChange is { } code)
        {
            await OnStatusChangeAsync(subscription, code, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A StatusChangeNotification (Part 4 §7.20.4) ends the subscription on the server: BadTimeout when its lifetime
    /// ran out (no Publish requests reached it in time), GoodSubscriptionTransferred when another session took it.
    /// Either way the values stop, so it is recreated here with the same client handles and parameters.
    /// </summary>
    private async Task OnStatusChangeAsync(OpcUaSubscription subscription, StatusCode status, CancellationToken cancellationToken)
    {
        subscription.LastStatusChange = status;
        subscription.StatusChanges++;
        subscription.NeedsRecreate = true;
        StatusChanged?.Invoke(this, new SubscriptionStatusChange(subscription, status));
        await _sessionLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (subscription.NeedsRecreate && !_recovering)
            {
                await RecreateAsync(subscription, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OpcUaException)
        {
            // The link went down meanwhile: recovery sees NeedsRecreate and does it after reconnecting.
        }
        finally
        {
            _sessionLock.Release();
        }
    }

    private async Task RecreateAsync(OpcUaSubscription subscription, CancellationToken cancellationToken)
    {
        subscription.ForgetServerIds();
        await CreateOnServerAsync(subscription, cancellationToken).ConfigureAwait(false);
        await CreateItemsAsync(subscription, subscription.Requests, cancellationToken).ConfigureAwait(false);
        subscription.NeedsRecreate = false;
        subscription.Recreations++;
        Interlocked.Increment(ref _subscriptionGeneration);
    }

    /// <summary>
    /// A Publish answered BadNoSubscription while we hold subscriptions, and it was sent after our last recreate: the
    /// server dropped them without a StatusChangeNotification (a PLC after a program download may). Recreate them all
    /// with the same client handles. False when there was nothing to do.
    /// </summary>
    private async Task<bool> RecreateSilentlyDroppedAsync(int generation, CancellationToken cancellationToken)
    {
        await _sessionLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            OpcUaSubscription[] subscriptions;
            lock (_subscriptions)
            {
                subscriptions = [.. _subscriptions];
            }

            if (subscriptions.Length == 0 || _recovering || generation != Volatile.Read(ref _subscriptionGeneration))
            {
                return false;
            }

            foreach (var subscription in subscriptions)
            {
                subscription.LastStatusChange = StatusCode.BadNoSubscription;
                subscription.NeedsRecreate = true;
                StatusChanged?.Invoke(this, new SubscriptionStatusChange(subscription, StatusCode.BadNoSubscription));
            }

            foreach (var subscription in subscriptions)
            {
                await RecreateAsync(subscription, cancellationToken).ConfigureAwait(false);
            }

            return true;
        }
        catch (OpcUaException)
        {
            return false; // the link went down meanwhile: the reconnect recreates what is marked
        }
        finally
        {
            _sessionLock.Release();
        }
    }

    /// <summary>After a new session: transfer the subscriptions, or recreate those that could not move.</summary>
    private async Task<string> RestoreSubscriptionsAsync(bool reactivated, CancellationToken cancellationToken)
    {
        _publish.Reset();
        Interlocked.Increment(ref _subscriptionGeneration);
        // Pending acknowledgements stay: a reactivated or transferred subscription still needs them, and the server
        // answers BadSequenceNumberUnknown (harmless) for any it no longer has.
        OpcUaSubscription[] subscriptions;
        lock (_subscriptions)
        {
            subscriptions = [.. _subscriptions];
        }

        var recreate = subscriptions.Where(s => s.NeedsRecreate).ToList();
        subscriptions = [.. subscriptions.Where(s => !s.NeedsRecreate)];
        if (reactivated || subscriptions.Length == 0)
        {
            foreach (var subscription in recreate)
            {
                await RecreateAsync(subscription, cancellationToken).ConfigureAwait(false);
            }

            var state = reactivated ? "session reactivated" : "new session";
            return recreate.Count == 0 ? state : $"{state}, {recreate.Count} subscription(s) recreated";
        }

        try
        {
            var transfer = await CallAsync<TransferSubscriptionsResponse>(new TransferSubscriptionsRequest
            {
                SubscriptionIds = [.. subscriptions.Select(s => s.Id)],
                SendInitialValues = true,
            }, "TransferSubscriptions", cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < subscriptions.Length; i++)
            {
                if (i >= transfer.Results.Length || transfer.Results[i].StatusCode.IsBad)
                {
                    recreate.Add(subscriptions[i]);
                }
            }
        }
        catch (OpcUaException ex) when (ex.Status.IsBad && !ex.Status.Is(StatusCode.BadConnectionClosed))
        {
            recreate.AddRange(subscriptions);
        }

        foreach (var subscription in recreate)
        {
            await RecreateAsync(subscription, cancellationToken).ConfigureAwait(false);
        }

        return recreate.Count == 0 ? "subscriptions transferred" : $"{recreate.Count} subscription(s) recreated";
    }
}
