using System.Buffers;
using EdgeOps.OpcUa.Encoding;
using EdgeOps.OpcUa.Subscriptions;
using EdgeOps.OpcUa.Types;

namespace EdgeOps.OpcUa.Services;

internal sealed class CreateSubscriptionRequest : UaRequest
{
    public override uint BinaryEncodingId => EncodingIds.CreateSubscriptionRequest;
    public double RequestedPublishingInterval { get; set; }
    public uint RequestedLifetimeCount { get; set; }
    public uint RequestedMaxKeepAliveCount { get; set; }
    public uint MaxNotificationsPerPublish { get; set; }
    public bool PublishingEnabled { get; set; } = true;
    public byte Priority { get; set; }

    protected override void EncodeBody(UaBinaryWriter w)
    {
        w.WriteDouble(RequestedPublishingInterval);
        w.WriteUInt32(RequestedLifetimeCount);
        w.WriteUInt32(RequestedMaxKeepAliveCount);
        w.WriteUInt32(MaxNotificationsPerPublish);
        w.WriteBoolean(PublishingEnabled);
        w.WriteByte(Priority);
    }
}

internal sealed class CreateSubscriptionResponse : UaResponse, IUaDecodable<CreateSubscriptionResponse>
{
    public const uint EncodingId = EncodingIds.CreateSubscriptionResponse;
    public uint SubscriptionId { get; set; }
    public double RevisedPublishingInterval { get; set; }
    public uint RevisedLifetimeCount { get; set; }
    public uint RevisedMaxKeepAliveCount { get; set; }

    public static CreateSubscriptionResponse Decode(ref UaBinaryReader r) => new()
    {
        Header = ResponseHeader.Decode(ref r),
        SubscriptionId = r.ReadUInt32(),
        RevisedPublishingInterval = r.ReadDouble(),
        RevisedLifetimeCount = r.ReadUInt32(),
        RevisedMaxKeepAliveCount = r.ReadUInt32(),
    };
}

internal sealed class DeleteSubscriptionsRequest : UaRequest
{
    public override uint BinaryEncodingId => EncodingIds.DeleteSubscriptionsRequest;
    public IReadOnlyList<uint> SubscriptionIds { get; set; } = [];

    protected override void EncodeBody(UaBinaryWriter w) => w.WriteArray(SubscriptionIds, static (x, i) => x.WriteUInt32(i));
}

internal sealed class TransferSubscriptionsRequest : UaRequest
{
    public override uint BinaryEncodingId => EncodingIds.TransferSubscriptionsRequest;
    public IReadOnlyList<uint> SubscriptionIds { get; set; } = [];
    public bool SendInitialValues { get; set; }

    protected override void EncodeBody(UaBinaryWriter w)
    {
        w.WriteArray(SubscriptionIds, static (x, i) => x.WriteUInt32(i));
        w.WriteBoolean(SendInitialValues);
    }
}

internal sealed record TransferResult(StatusCode StatusCode, uint[] AvailableSequenceNumbers);

internal sealed class TransferSubscriptionsResponse : ResultsResponse<TransferResult>, IUaDecodable<TransferSubscriptionsResponse>
{
    public const uint EncodingId = EncodingIds.TransferSubscriptionsResponse;

    public static TransferSubscriptionsResponse Decode(ref UaBinaryReader r) => DecodeResults<TransferSubscriptionsResponse>(ref r, static (ref UaBinaryReader x) => new TransferResult(
        x.ReadStatusCode(), x.ReadList(static (ref UaBinaryReader y) => y.ReadUInt32(), 4, "AvailableSequenceNumbers")), 8);
}

/// <summary>Part 4 §7.22.2.</summary>
internal sealed record DataChangeFilter(int Trigger, uint DeadbandType, double DeadbandValue) : IUaStructure, IUaDecodable<DataChangeFilter>
{
    public uint BinaryEncodingId => EncodingIds.DataChangeFilter;

    public void Encode(UaBinaryWriter writer)
    {
        writer.WriteInt32(Trigger);
        writer.WriteUInt32(DeadbandType);
        writer.WriteDouble(DeadbandValue);
    }

    public static DataChangeFilter Decode(ref UaBinaryReader r) => new(r.ReadInt32(), r.ReadUInt32(), r.ReadDouble());
}

internal sealed record MonitoredItemCreateRequest(ReadValueId ItemToMonitor, uint ClientHandle, double SamplingInterval,
    DataChangeFilter? Filter, uint QueueSize, bool DiscardOldest = true, int MonitoringMode = 2);

internal sealed class CreateMonitoredItemsRequest : UaRequest
{
    public override uint BinaryEncodingId => EncodingIds.CreateMonitoredItemsRequest;
    public uint SubscriptionId { get; set; }
    public TimestampsToReturn TimestampsToReturn { get; set; } = TimestampsToReturn.Both;
    public IReadOnlyList<MonitoredItemCreateRequest> ItemsToCreate { get; set; } = [];

    protected override void EncodeBody(UaBinaryWriter w)
    {
        w.WriteUInt32(SubscriptionId);
        w.WriteInt32((int)TimestampsToReturn);
        w.WriteArray(ItemsToCreate, static (x, i) =>
        {
            i.ItemToMonitor.Encode(x);
            x.WriteInt32(i.MonitoringMode);
            x.WriteUInt32(i.ClientHandle);
            x.WriteDouble(i.SamplingInterval);
            x.WriteStructure(i.Filter);
            x.WriteUInt32(i.QueueSize);
            x.WriteBoolean(i.DiscardOldest);
        });
    }
}

internal sealed record MonitoredItemCreateResult(StatusCode StatusCode, uint MonitoredItemId, double RevisedSamplingInterval, uint RevisedQueueSize);

internal sealed class CreateMonitoredItemsResponse : ResultsResponse<MonitoredItemCreateResult>, IUaDecodable<CreateMonitoredItemsResponse>
{
    public const uint EncodingId = EncodingIds.CreateMonitoredItemsResponse;

    public static CreateMonitoredItemsResponse Decode(ref UaBinaryReader r) => DecodeResults<CreateMonitoredItemsResponse>(ref r, static (ref UaBinaryReader x) =>
    {
        var result = new MonitoredItemCreateResult(x.ReadStatusCode(), x.ReadUInt32(), x.ReadDouble(), x.ReadUInt32());
        x.ReadExtensionObject();
        return result;
    }, 23);
}

/// <summary>Part 4 §5.13.3: MonitoredItemModifyRequest = MonitoredItemId + MonitoringParameters.</summary>
internal sealed record MonitoredItemModifyRequest(uint MonitoredItemId, uint ClientHandle, double SamplingInterval,
    DataChangeFilter? Filter, uint QueueSize, bool DiscardOldest = true);

internal sealed class ModifyMonitoredItemsRequest : UaRequest
{
    public override uint BinaryEncodingId => EncodingIds.ModifyMonitoredItemsRequest;
    public uint SubscriptionId { get; set; }
    public TimestampsToReturn TimestampsToReturn { get; set; } = TimestampsToReturn.Both;
    public IReadOnlyList<MonitoredItemModifyRequest> ItemsToModify { get; set; } = [];

    protected override void EncodeBody(UaBinaryWriter w)
    {
        w.WriteUInt32(SubscriptionId);
        w.WriteInt32((int)TimestampsToReturn);
        w.WriteArray(ItemsToModify, static (x, i) =>
        {
            x.WriteUInt32(i.MonitoredItemId);
            x.WriteUInt32(i.ClientHandle);
            x.WriteDouble(i.SamplingInterval);
            x.WriteStructure(i.Filter);
            x.WriteUInt32(i.QueueSize);
            x.WriteBoolean(i.DiscardOldest);
        });
    }
}

internal sealed record MonitoredItemModifyResult(StatusCode StatusCode, double RevisedSamplingInterval, uint RevisedQueueSize);

internal sealed class ModifyMonitoredItemsResponse : ResultsResponse<MonitoredItemModifyResult>, IUaDecodable<ModifyMonitoredItemsResponse>
{
    public const uint EncodingId = EncodingIds.ModifyMonitoredItemsResponse;

    public static ModifyMonitoredItemsResponse Decode(ref UaBinaryReader r) => DecodeResults<ModifyMonitoredItemsResponse>(ref r, static (ref UaBinaryReader x) =>
    {
        var result = new MonitoredItemModifyResult(x.ReadStatusCode(), x.ReadDouble(), x.ReadUInt32());
        x.ReadExtensionObject(); // FilterResult
        return result;
    }, 19);
}

internal sealed record SubscriptionAcknowledgement(uint SubscriptionId, uint SequenceNumber);

internal sealed class PublishRequest : UaRequest
{
    public override uint BinaryEncodingId => EncodingIds.PublishRequest;
    public IReadOnlyList<SubscriptionAcknowledgement> Acknowledgements { get; set; } = [];

    protected override void EncodeBody(UaBinaryWriter w) => w.WriteArray(Acknowledgements, static (x, a) =>
    {
        x.WriteUInt32(a.SubscriptionId);
        x.WriteUInt32(a.SequenceNumber);
    });
}

internal sealed class NotificationMessage
{
    public uint SequenceNumber { get; set; }
    public DateTime PublishTime { get; set; }
    public ExtensionObject[] NotificationData { get; set; } = [];

    public static NotificationMessage Decode(ref UaBinaryReader r) => new()
    {
        SequenceNumber = r.ReadUInt32(),
        PublishTime = r.ReadDateTime(),
        NotificationData = r.ReadList(static (ref UaBinaryReader x) => x.ReadExtensionObject(), 3, "NotificationData"),
    };
}

internal sealed class PublishResponse : UaResponse, IUaDecodable<PublishResponse>
{
    public const uint EncodingId = EncodingIds.PublishResponse;
    public uint SubscriptionId { get; set; }
    public uint[] AvailableSequenceNumbers { get; set; } = [];
    public bool MoreNotifications { get; set; }
    public NotificationMessage Message { get; set; } = new();
    public StatusCode[] Results { get; set; } = [];

    public static PublishResponse Decode(ref UaBinaryReader r)
    {
        var m = new PublishResponse
        {
            Header = ResponseHeader.Decode(ref r),
            SubscriptionId = r.ReadUInt32(),
            AvailableSequenceNumbers = r.ReadList(static (ref UaBinaryReader x) => x.ReadUInt32(), 4, "AvailableSequenceNumbers"),
            MoreNotifications = r.ReadBoolean(),
            Message = NotificationMessage.Decode(ref r),
            Results = ServiceResults.Read(ref r, static (ref UaBinaryReader x) => x.ReadStatusCode(), 4),
        };
        return m;
    }
}

internal sealed class RepublishRequest : UaRequest
{
    public override uint BinaryEncodingId => EncodingIds.RepublishRequest;
    public uint SubscriptionId { get; set; }
    public uint RetransmitSequenceNumber { get; set; }

    protected override void EncodeBody(UaBinaryWriter w)
    {
        w.WriteUInt32(SubscriptionId);
        w.WriteUInt32(RetransmitSequenceNumber);
    }
}

internal sealed class RepublishResponse : UaResponse, IUaDecodable<RepublishResponse>
{
    public const uint EncodingId = EncodingIds.RepublishResponse;
    public NotificationMessage Message { get; set; } = new();

    public static RepublishResponse Decode(ref UaBinaryReader r) => new()
    {
        Header = ResponseHeader.Decode(ref r),
        Message = NotificationMessage.Decode(ref r),
    };
}

/// <summary>
/// Part 4 §7.20.2. The items are decoded straight into a rented array of flat structs (no object per value);
/// <see cref="Release"/> gives the array back once the values are delivered. A notification that is dropped
/// without release just leaves its array to the garbage collector.
/// </summary>
internal sealed class DataChangeNotification : IUaDecodable<DataChangeNotification>
{
    public const uint EncodingId = EncodingIds.DataChangeNotification;
    private MonitoredItemValue[] _items = [];

    public int Count { get; private set; }

    public ReadOnlySpan<MonitoredItemValue> MonitoredItems => _items.AsSpan(0, Count);

    public ReadOnlyMemory<MonitoredItemValue> Memory => _items.AsMemory(0, Count);

    public static DataChangeNotification Decode(ref UaBinaryReader r)
    {
        var count = r.ReadArrayLength(5, "MonitoredItems");
        var m = new DataChangeNotification();
        if (count > 0)
        {
            m._items = ArrayPool<MonitoredItemValue>.Shared.Rent(count);
            try
            {
                for (var i = 0; i < count; i++)
                {
                    m._items[i] = r.ReadMonitoredItemValue(r.ReadUInt32());
                }
            }
            catch
            {
                m.Release();
                throw;
            }

            m.Count = count;
        }

        r.ReadArray(static (ref UaBinaryReader x) => x.ReadDiagnosticInfo(), 1, "DiagnosticInfos");
        return m;
    }

    /// <summary>Returns the rented array; the notification is empty afterwards.</summary>
    public void Release()
    {
        var items = _items;
        _items = [];
        Count = 0;
        if (items.Length > 0)
        {
            // Values may hold strings or arrays: clear them so the pool does not keep them alive.
            ArrayPool<MonitoredItemValue>.Shared.Return(items, clearArray: true);
        }
    }
}

/// <summary>Part 4 §7.20.4.</summary>
internal sealed record StatusChangeNotification(StatusCode Status) : IUaDecodable<StatusChangeNotification>
{
    public const uint EncodingId = EncodingIds.StatusChangeNotification;

    public static StatusChangeNotification Decode(ref UaBinaryReader r)
    {
        var status = r.ReadStatusCode();
        r.ReadDiagnosticInfo();
        return new StatusChangeNotification(status);
    }
}
