using EdgeOps.OpcUa.Services;

namespace EdgeOps.OpcUa.Encoding;

/// <summary>Structures this client decodes out of ExtensionObjects, by DefaultBinary encoding id (namespace 0).</summary>
internal static class KnownTypes
{
    private static readonly Dictionary<uint, ElementReader<object>> Decoders = new(
    [
        Entry<DataChangeNotification>(EncodingIds.DataChangeNotification),
        Entry<StatusChangeNotification>(EncodingIds.StatusChangeNotification),
        Entry<DataChangeFilter>(EncodingIds.DataChangeFilter),
        Entry<AnonymousIdentityToken>(EncodingIds.AnonymousIdentityToken),
        Entry<UserNameIdentityToken>(EncodingIds.UserNameIdentityToken),
    ]);

    public static bool TryGetDecoder(uint encodingId, out ElementReader<object> decoder) =>
        Decoders.TryGetValue(encodingId, out decoder!);

    private static KeyValuePair<uint, ElementReader<object>> Entry<T>(uint encodingId)
        where T : class, IUaDecodable<T> => new(encodingId, static (ref UaBinaryReader r) => T.Decode(ref r));
}

/// <summary>Service responses by DefaultBinary encoding id.</summary>
internal static class ResponseDecoders
{
    private static readonly Dictionary<uint, ElementReader<UaResponse>> Decoders = new(
    [
        Entry<ServiceFault>(EncodingIds.ServiceFault),
        Entry<OpenSecureChannelResponse>(EncodingIds.OpenSecureChannelResponse),
        Entry<GetEndpointsResponse>(EncodingIds.GetEndpointsResponse),
        Entry<CreateSessionResponse>(EncodingIds.CreateSessionResponse),
        Entry<ActivateSessionResponse>(EncodingIds.ActivateSessionResponse),
        Entry<CloseSessionResponse>(EncodingIds.CloseSessionResponse),
        Entry<ReadResponse>(EncodingIds.ReadResponse),
        Entry<StatusResultsResponse>(EncodingIds.WriteResponse),
        Entry<BrowseResponse>(EncodingIds.BrowseResponse),
        Entry<BrowseResponse>(EncodingIds.BrowseNextResponse),
        Entry<TranslateBrowsePathsResponse>(EncodingIds.TranslateBrowsePathsToNodeIdsResponse),
        Entry<CallResponse>(EncodingIds.CallResponse),
        Entry<CreateSubscriptionResponse>(EncodingIds.CreateSubscriptionResponse),
        Entry<StatusResultsResponse>(EncodingIds.DeleteSubscriptionsResponse),
        Entry<TransferSubscriptionsResponse>(EncodingIds.TransferSubscriptionsResponse),
        Entry<CreateMonitoredItemsResponse>(EncodingIds.CreateMonitoredItemsResponse),
        Entry<ModifyMonitoredItemsResponse>(EncodingIds.ModifyMonitoredItemsResponse),
        Entry<PublishResponse>(EncodingIds.PublishResponse),
        Entry<RepublishResponse>(EncodingIds.RepublishResponse),
    ]);

    private static KeyValuePair<uint, ElementReader<UaResponse>> Entry<T>(uint encodingId)
        where T : UaResponse, IUaDecodable<T> => new(encodingId, static (ref UaBinaryReader r) => T.Decode(ref r));

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
