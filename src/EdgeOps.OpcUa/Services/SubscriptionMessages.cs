using System.Buffers;
using EdgeOps.OpcUa.Encoding;
using EdgeOps.OpcUa.Subscriptions;
using EdgeOps.OpcUa.Types;

namespace EdgeOps.OpcUa.Services;

internal sealed class CreateSubscriptionRequest : UaRequest
{
    public override uint BinaryEncodingId => 787;
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

internal sealed class CreateSubscriptionResponse : UaResponse
{
    public const uint EncodingId = 790;
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
    public override uint BinaryEncodingId => 847;
    public IReadOnlyList<uint> SubscriptionIds { get; set; } = [];

    protected override void EncodeBody(UaBinaryWriter w) => w.WriteArray(SubscriptionIds, static (x, i) => x.WriteUInt32(i));
}

internal sealed class TransferSubscriptionsRequest : UaRequest
{
    public override uint BinaryEncodingId => 841;
    public IReadOnlyList<uint> SubscriptionIds { get; set; } = [];
    public bool SendInitialValues { get; set; }

    protected override void EncodeBody(UaBinaryWriter w)
    {
        w.WriteArray(SubscriptionIds, static (x, i) => x.WriteUInt32(i));
        w.WriteBoolean(SendInitialValues);
    }
}

internal sealed record TransferResult(StatusCode StatusCode, uint[] AvailableSequenceNumbers);

internal sealed class TransferSubscriptionsResponse : UaResponse
{
    public const uint EncodingId = 844;
    public TransferResult[] Results { get; set; } = [];

    public static TransferSubscriptionsResponse Decode(ref UaBinaryReader r)
    {
        var m = new TransferSubscriptionsResponse
        {
            Header = ResponseHeader.Decode(ref r),
            Results = r.ReadList(static (ref UaBinaryReader x) => new TransferResult(
                x.ReadStatusCode(), x.ReadList(static (ref UaBinaryReader y) => y.ReadUInt32(), 4, "AvailableSequenceNumbers")), 8, "Results"),
        };
        r.ReadArray(static (ref UaBinaryReader x) => x.ReadDiagnosticInfo(), 1, "DiagnosticInfos");
        return m;
    }
}

/// <summary>Part 4 §7.22.2.</summary>
internal sealed record DataChangeFilter(int Trigger, uint DeadbandType, double DeadbandValue) : IUaStructure
{
    public uint BinaryEncodingId => 724;

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
    public override uint BinaryEncodingId => 751;
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

internal sealed class CreateMonitoredItemsResponse : UaResponse
{
    public const uint EncodingId = 754;
    public MonitoredItemCreateResult[] Results { get; set; } = [];

    public static CreateMonitoredItemsResponse Decode(ref UaBinaryReader r)
    {
        var m = new CreateMonitoredItemsResponse
        {
            Header = ResponseHeader.Decode(ref r),
            Results = r.ReadList(static (ref UaBinaryReader x) =>
            {
                var result = new MonitoredItemCreateResult(x.ReadStatusCode(), x.ReadUInt32(), x.ReadDouble(), x.ReadUInt32());
                x.ReadExtensionObject();
                return result;
            }, 23, "Results"),
        };
        r.ReadArray(static (ref UaBinaryReader x) => x.ReadDiagnosticInfo(), 1, "DiagnosticInfos");
        return m;
    }
}

/// <summary>Part 4 §5.13.3: MonitoredItemModifyRequest = MonitoredItemId + MonitoringParameters.</summary>
internal sealed record MonitoredItemModifyRequest(uint MonitoredItemId, uint ClientHandle, double SamplingInterval,
    DataChangeFilter? Filter, uint QueueSize, bool DiscardOldest = true);

internal sealed class ModifyMonitoredItemsRequest : UaRequest
{
    public override uint BinaryEncodingId => 763;
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

internal sealed class ModifyMonitoredItemsResponse : UaResponse
{
    public const uint EncodingId = 766;
    public MonitoredItemModifyResult[] Results { get; set; } = [];

    public static ModifyMonitoredItemsResponse Decode(ref UaBinaryReader r)
    {
        var m = new ModifyMonitoredItemsResponse
        {
            Header = ResponseHeader.Decode(ref r),
            Results = r.ReadList(static (ref UaBinaryReader x) =>
            {
                var result = new MonitoredItemModifyResult(x.ReadStatusCode(), x.ReadDouble(), x.ReadUInt32());
                x.ReadExtensionObject(); // FilterResult
                return result;
            }, 19, "Results"),
        };
        r.ReadArray(static (ref UaBinaryReader x) => x.ReadDiagnosticInfo(), 1, "DiagnosticInfos");
        return m;
    }
}

internal sealed record SubscriptionAcknowledgement(uint SubscriptionId, uint SequenceNumber);

internal sealed class PublishRequest : UaRequest
{
    public override uint BinaryEncodingId => 826;
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

internal sealed class PublishResponse : UaResponse
{
    public const uint EncodingId = 829;
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
            Results = r.ReadList(static (ref UaBinaryReader x) => x.ReadStatusCode(), 4, "Results"),
        };
        r.ReadArray(static (ref UaBinaryReader x) => x.ReadDiagnosticInfo(), 1, "DiagnosticInfos");
        return m;
    }
}

internal sealed class RepublishRequest : UaRequest
{
    public override uint BinaryEncodingId => 832;
    public uint SubscriptionId { get; set; }
    public uint RetransmitSequenceNumber { get; set; }

    protected override void EncodeBody(UaBinaryWriter w)
    {
        w.WriteUInt32(SubscriptionId);
        w.WriteUInt32(RetransmitSequenceNumber);
    }
}

internal sealed class RepublishResponse : UaResponse
{
    public const uint EncodingId = 835;
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
internal sealed class DataChangeNotification
{
    public const uint EncodingId = 811;
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
internal sealed record StatusChangeNotification(StatusCode Status)
{
    public const uint EncodingId = 820;

    public static StatusChangeNotification Decode(ref UaBinaryReader r)
    {
        var status = r.ReadStatusCode();
        r.ReadDiagnosticInfo();
        return new StatusChangeNotification(status);
    }
}
