using EdgeOps.OpcUa.Services;

namespace EdgeOps.OpcUa.Encoding;

/// <summary>Structures this client decodes out of ExtensionObjects, by DefaultBinary encoding id (namespace 0).</summary>
internal static class KnownTypes
{
    private static readonly Dictionary<uint, ElementReader<object>> Decoders = new()
    {
        [DataChangeNotification.EncodingId] = static (ref UaBinaryReader r) => DataChangeNotification.Decode(ref r),
        [StatusChangeNotification.EncodingId] = static (ref UaBinaryReader r) => StatusChangeNotification.Decode(ref r),
        [724] = static (ref UaBinaryReader r) => DataChangeFilter.Decode(ref r),
        [321] = static (ref UaBinaryReader r) => AnonymousIdentityToken.Decode(ref r),
        [324] = static (ref UaBinaryReader r) => UserNameIdentityToken.Decode(ref r),
    };

    public static bool TryGetDecoder(uint encodingId, out ElementReader<object> decoder) =>
        Decoders.TryGetValue(encodingId, out decoder!);
}

/// <summary>Service responses by DefaultBinary encoding id.</summary>
internal static class ResponseDecoders
{
    private static readonly Dictionary<uint, ElementReader<UaResponse>> Decoders = new()
    {
        [ServiceFault.EncodingId] = static (ref UaBinaryReader r) => ServiceFault.Decode(ref r),
        [OpenSecureChannelResponse.EncodingId] = static (ref UaBinaryReader r) => OpenSecureChannelResponse.Decode(ref r),
        [GetEndpointsResponse.EncodingId] = static (ref UaBinaryReader r) => GetEndpointsResponse.Decode(ref r),
        [CreateSessionResponse.EncodingId] = static (ref UaBinaryReader r) => CreateSessionResponse.Decode(ref r),
        [ActivateSessionResponse.EncodingId] = static (ref UaBinaryReader r) => ActivateSessionResponse.Decode(ref r),
        [CloseSessionResponse.EncodingId] = static (ref UaBinaryReader r) => CloseSessionResponse.Decode(ref r),
        [ReadResponse.EncodingId] = static (ref UaBinaryReader r) => ReadResponse.Decode(ref r),
        [676] = static (ref UaBinaryReader r) => StatusResultsResponse.Decode(ref r), // Write
        [BrowseResponse.EncodingId] = static (ref UaBinaryReader r) => BrowseResponse.Decode(ref r),
        [BrowseResponse.NextEncodingId] = static (ref UaBinaryReader r) => BrowseResponse.Decode(ref r),
        [TranslateBrowsePathsResponse.EncodingId] = static (ref UaBinaryReader r) => TranslateBrowsePathsResponse.Decode(ref r),
        [CallResponse.EncodingId] = static (ref UaBinaryReader r) => CallResponse.Decode(ref r),
        [CreateSubscriptionResponse.EncodingId] = static (ref UaBinaryReader r) => CreateSubscriptionResponse.Decode(ref r),
        [850] = static (ref UaBinaryReader r) => StatusResultsResponse.Decode(ref r), // DeleteSubscriptions
        [TransferSubscriptionsResponse.EncodingId] = static (ref UaBinaryReader r) => TransferSubscriptionsResponse.Decode(ref r),
        [CreateMonitoredItemsResponse.EncodingId] = static (ref UaBinaryReader r) => CreateMonitoredItemsResponse.Decode(ref r),
        [ModifyMonitoredItemsResponse.EncodingId] = static (ref UaBinaryReader r) => ModifyMonitoredItemsResponse.Decode(ref r),
        [PublishResponse.EncodingId] = static (ref UaBinaryReader r) => PublishResponse.Decode(ref r),
        [RepublishResponse.EncodingId] = static (ref UaBinaryReader r) => RepublishResponse.Decode(ref r),
    };

    /// <summary>Decodes a message body: the type id first, then that response. Unknown ids are a decoding error.</summary>
    public static UaResponse Decode(ref UaBinaryReader r)
    {
        var typeId = r.ReadNodeId();
        if (typeId.NamespaceIndex != 0 || typeId.IdType != Types.NodeIdType.Numeric || !Decoders.TryGetValue(typeId.Numeric, out var decoder))
        {
            throw UaBinaryReader.Error($"Unknown response type {typeId}", 0);
        }

        return decoder(ref r);
    }
}
