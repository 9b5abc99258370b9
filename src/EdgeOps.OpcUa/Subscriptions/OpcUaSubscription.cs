using System.Threading.Channels;
using EdgeOps.OpcUa.Client;
using EdgeOps.OpcUa.Types;

namespace EdgeOps.OpcUa.Subscriptions;

/// <summary>
/// A subscription of an <see cref="OpcUaClient"/>. Values of all its items arrive in order on <see cref="Values"/>;
/// it survives reconnects (transferred or recreated with the same client handles).
/// </summary>
public sealed class OpcUaSubscription
{
    private readonly Channel<MonitoredItemValue> _values;
    private readonly Dictionary<uint, MonitoredItemRequest> _requests = [];
    private readonly Dictionary<uint, MonitoredItemResult> _results = [];
    private readonly Dictionary<uint, uint> _serverIds = [];
    private readonly object _gate = new();

    internal OpcUaSubscription(OpcUaClient client, SubscriptionOptions options)
    {
        Client = client;
        Options = options;
        _values = Channel.CreateBounded<MonitoredItemValue>(new BoundedChannelOptions(options.ValueBufferCapacity)
        {
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    internal OpcUaClient Client { get; }

    /// <summary>The options it was created with.</summary>
    public SubscriptionOptions Options { get; }

    /// <summary>The server's id (changes when the subscription is recreated).</summary>
    public uint Id { get; internal set; }

    /// <summary>The publishing interval the server granted.</summary>
    public TimeSpan RevisedPublishingInterval { get; internal set; }

    /// <summary>The keep-alive count the server granted.</summary>
    public uint RevisedKeepAliveCount { get; internal set; }

    /// <summary>Value changes in the order the server sent them.</summary>
    public ChannelReader<MonitoredItemValue> Values => _values.Reader;

    /// <summary>Notification messages received with data.</summary>
    public long MessagesReceived { get; internal set; }

    /// <summary>Messages recovered with Republish after a sequence gap.</summary>
    public long MessagesRepublished { get; internal set; }

    /// <summary>Messages missing for good (the server no longer had them).</summary>
    public long MessagesLost { get; internal set; }

    /// <summary>Times the subscription had to be recreated (the server had lost it, or closed it: see <see cref="LastStatusChange"/>).</summary>
    public int Recreations { get; internal set; }

    /// <summary>
    /// Why the server last ended this subscription: the status of its StatusChangeNotification (BadTimeout when the
    /// lifetime ran out, GoodSubscriptionTransferred when another session took it), or BadNoSubscription when the
    /// server dropped it without notice; null if it never did.
    /// </summary>
    public StatusCode? LastStatusChange { get; internal set; }

    /// <summary>StatusChangeNotifications received (each one makes the client recreate the subscription).</summary>
    public int StatusChanges { get; internal set; }

    /// <summary>Set when the server no longer has this subscription and the client must recreate it.</summary>
    internal bool NeedsRecreate { get; set; }

    internal uint LastSequenceNumber { get; set; }

    internal ChannelWriter<MonitoredItemValue> Writer => _values.Writer;

    /// <summary>The latest creation result of every item, by client handle.</summary>
    public IReadOnlyDictionary<uint, MonitoredItemResult> Items
    {
        get
        {
            lock (_gate)
            {
                return new Dictionary<uint, MonitoredItemResult>(_results);
            }
        }
    }

    internal IReadOnlyList<MonitoredItemRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests.Values];
            }
        }
    }

    internal void Record(MonitoredItemRequest request, MonitoredItemResult result, uint serverId)
    {
        lock (_gate)
        {
            _requests[request.ClientHandle] = request;
            _results[request.ClientHandle] = result;
            if (serverId != 0 && result.Status.IsGood)
            {
                _serverIds[request.ClientHandle] = serverId;
            }
            else
            {
                _serverIds.Remove(request.ClientHandle);
            }
        }
    }

    /// <summary>The current request, result and server id of an item, or false for an unknown handle.</summary>
    internal bool TryGetItem(uint clientHandle, out MonitoredItemRequest request, out MonitoredItemResult result, out uint serverId)
    {
        lock (_gate)
        {
            if (_requests.TryGetValue(clientHandle, out request!) && _results.TryGetValue(clientHandle, out result!))
            {
                _serverIds.TryGetValue(clientHandle, out serverId);
                return true;
            }

            result = null!;
            serverId = 0;
            return false;
        }
    }

    /// <summary>Server ids are per subscription instance: a recreate assigns new ones.</summary>
    internal void ForgetServerIds()
    {
        lock (_gate)
        {
            _serverIds.Clear();
        }
    }

    /// <summary>
    /// Adds items, resolving browse paths and namespace URIs and creating them in batches of the server's
    /// MaxMonitoredItemsPerCall. Returns one result per request; a Bad result names why (the item is retried at the
    /// next recreate).
    /// </summary>
    public Task<IReadOnlyList<MonitoredItemResult>> AddItemsAsync(IReadOnlyList<MonitoredItemRequest> items, CancellationToken cancellationToken = default) =>
        Client.CreateItemsAsync(this, items, cancellationToken);

    /// <summary>
    /// Changes the sampling interval, queue size and deadband of items already added, with ModifyMonitoredItems
    /// (batched to the server's MaxMonitoredItemsPerCall). Each request names an existing item by
    /// <see cref="MonitoredItemRequest.ClientHandle"/>; its node (NodeId, NamespaceUri, BrowsePath) is ignored, since a
    /// monitored item cannot move to another node. The new parameters are kept: a later recreate uses them. An unknown
    /// handle, or an item the server never accepted, gets BadMonitoredItemIdInvalid; other results are the server's.
    /// </summary>
    public Task<IReadOnlyList<MonitoredItemResult>> ModifyItemsAsync(IReadOnlyList<MonitoredItemRequest> items, CancellationToken cancellationToken = default) =>
        Client.ModifyItemsAsync(this, items, cancellationToken);

    internal void Complete() => _values.Writer.TryComplete();
}
