using EdgeOps.OpcUa.Encoding;
using EdgeOps.OpcUa.Types;

namespace EdgeOps.OpcUa.Services;

internal enum BrowseDirection
{
    Forward = 0,
    Inverse = 1,
    Both = 2,
}

internal sealed record BrowseDescription(NodeId NodeId, BrowseDirection Direction, NodeId ReferenceTypeId, bool IncludeSubtypes,
    uint NodeClassMask, uint ResultMask = 63)
{
    public void Encode(UaBinaryWriter w)
    {
        w.WriteNodeId(NodeId);
        w.WriteInt32((int)Direction);
        w.WriteNodeId(ReferenceTypeId);
        w.WriteBoolean(IncludeSubtypes);
        w.WriteUInt32(NodeClassMask);
        w.WriteUInt32(ResultMask);
    }
}

internal sealed class BrowseRequest : UaRequest
{
    public override uint BinaryEncodingId => EncodingIds.BrowseRequest;
    public uint RequestedMaxReferencesPerNode { get; set; }
    public IReadOnlyList<BrowseDescription> NodesToBrowse { get; set; } = [];

    protected override void EncodeBody(UaBinaryWriter w)
    {
        w.WriteNodeId(NodeId.Null); // View
        w.WriteDateTime(DateTime.MinValue);
        w.WriteUInt32(0);
        w.WriteUInt32(RequestedMaxReferencesPerNode);
        w.WriteArray(NodesToBrowse, static (x, n) => n.Encode(x));
    }
}

internal sealed class ReferenceDescription
{
    public NodeId ReferenceTypeId { get; set; } = EdgeOps.OpcUa.Types.NodeId.Null;
    public bool IsForward { get; set; }
    public ExpandedNodeId NodeId { get; set; } = EdgeOps.OpcUa.Types.ExpandedNodeId.Null;
    public QualifiedName BrowseName { get; set; } = QualifiedName.Null;
    public LocalizedText DisplayName { get; set; } = LocalizedText.Null;
    public NodeClass NodeClass { get; set; }
    public ExpandedNodeId TypeDefinition { get; set; } = EdgeOps.OpcUa.Types.ExpandedNodeId.Null;

    public static ReferenceDescription Decode(ref UaBinaryReader r) => new()
    {
        ReferenceTypeId = r.ReadNodeId(),
        IsForward = r.ReadBoolean(),
        NodeId = r.ReadExpandedNodeId(),
        BrowseName = r.ReadQualifiedName(),
        DisplayName = r.ReadLocalizedText(),
        NodeClass = (NodeClass)r.ReadInt32(),
        TypeDefinition = r.ReadExpandedNodeId(),
    };
}

internal sealed class BrowseResult
{
    public StatusCode StatusCode { get; set; }
    public byte[]? ContinuationPoint { get; set; }
    public ReferenceDescription[] References { get; set; } = [];

    public static BrowseResult Decode(ref UaBinaryReader r) => new()
    {
        StatusCode = r.ReadStatusCode(),
        ContinuationPoint = r.ReadByteString(),
        References = r.ReadList(ReferenceDescription.Decode, 17, "References"),
    };
}

internal sealed class BrowseResponse : ResultsResponse<BrowseResult>, IUaDecodable<BrowseResponse>
{
    public const uint EncodingId = EncodingIds.BrowseResponse;
    public const uint NextEncodingId = EncodingIds.BrowseNextResponse;

    public static BrowseResponse Decode(ref UaBinaryReader r) => DecodeResults<BrowseResponse>(ref r, BrowseResult.Decode, 12);
}

internal sealed class BrowseNextRequest : UaRequest
{
    public override uint BinaryEncodingId => EncodingIds.BrowseNextRequest;
    public bool ReleaseContinuationPoints { get; set; }
    public IReadOnlyList<byte[]> ContinuationPoints { get; set; } = [];

    protected override void EncodeBody(UaBinaryWriter w)
    {
        w.WriteBoolean(ReleaseContinuationPoints);
        w.WriteArray(ContinuationPoints, static (x, c) => x.WriteByteString(c));
    }
}

internal sealed record RelativePathElement(NodeId ReferenceTypeId, bool IsInverse, bool IncludeSubtypes, QualifiedName TargetName);

internal sealed record BrowsePath(NodeId StartingNode, IReadOnlyList<RelativePathElement> Elements);

internal sealed class TranslateBrowsePathsRequest : UaRequest
{
    public override uint BinaryEncodingId => EncodingIds.TranslateBrowsePathsToNodeIdsRequest;
    public IReadOnlyList<BrowsePath> BrowsePaths { get; set; } = [];

    protected override void EncodeBody(UaBinaryWriter w) => w.WriteArray(BrowsePaths, static (x, p) =>
    {
        x.WriteNodeId(p.StartingNode);
        x.WriteArray(p.Elements, static (y, e) =>
        {
            y.WriteNodeId(e.ReferenceTypeId);
            y.WriteBoolean(e.IsInverse);
            y.WriteBoolean(e.IncludeSubtypes);
            y.WriteQualifiedName(e.TargetName);
        });
    });
}

internal sealed record BrowsePathTarget(ExpandedNodeId TargetId, uint RemainingPathIndex);

internal sealed record BrowsePathResult(StatusCode StatusCode, BrowsePathTarget[] Targets);

internal sealed class TranslateBrowsePathsResponse : ResultsResponse<BrowsePathResult>, IUaDecodable<TranslateBrowsePathsResponse>
{
    public const uint EncodingId = EncodingIds.TranslateBrowsePathsToNodeIdsResponse;

    public static TranslateBrowsePathsResponse Decode(ref UaBinaryReader r) => DecodeResults<TranslateBrowsePathsResponse>(ref r, static (ref UaBinaryReader x) => new BrowsePathResult(
                x.ReadStatusCode(),
                x.ReadList(static (ref UaBinaryReader y) => new BrowsePathTarget(y.ReadExpandedNodeId(), y.ReadUInt32()), 6, "Targets")), 8);
}
