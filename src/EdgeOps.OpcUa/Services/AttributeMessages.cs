using EdgeOps.OpcUa.Encoding;
using EdgeOps.OpcUa.Types;

namespace EdgeOps.OpcUa.Services;

internal sealed record ReadValueId(NodeId NodeId, uint AttributeId = Attributes.Value)
{
    public void Encode(UaBinaryWriter w)
    {
        w.WriteNodeId(NodeId);
        w.WriteUInt32(AttributeId);
        w.WriteString(null);
        w.WriteQualifiedName(null);
    }
}

internal sealed class ReadRequest : UaRequest
{
    public override uint BinaryEncodingId => EncodingIds.ReadRequest;
    public double MaxAge { get; set; }
    public TimestampsToReturn TimestampsToReturn { get; set; } = TimestampsToReturn.Both;
    public IReadOnlyList<ReadValueId> NodesToRead { get; set; } = [];

    protected override void EncodeBody(UaBinaryWriter w)
    {
        w.WriteDouble(MaxAge);
        w.WriteInt32((int)TimestampsToReturn);
        w.WriteArray(NodesToRead, static (x, n) => n.Encode(x));
    }
}

internal sealed class ReadResponse : ResultsResponse<DataValue>, IUaDecodable<ReadResponse>
{
    public const uint EncodingId = EncodingIds.ReadResponse;

    public static ReadResponse Decode(ref UaBinaryReader r) => DecodeResults<ReadResponse>(ref r, static (ref UaBinaryReader x) => x.ReadDataValue(), 1);
}

internal sealed record WriteValue(NodeId NodeId, DataValue Value, uint AttributeId = Attributes.Value);

internal sealed class WriteRequest : UaRequest
{
    public override uint BinaryEncodingId => EncodingIds.WriteRequest;
    public IReadOnlyList<WriteValue> NodesToWrite { get; set; } = [];

    protected override void EncodeBody(UaBinaryWriter w) => w.WriteArray(NodesToWrite, static (x, n) =>
    {
        x.WriteNodeId(n.NodeId);
        x.WriteUInt32(n.AttributeId);
        x.WriteString(null);
        x.WriteDataValue(n.Value);
    });
}

internal sealed class StatusResultsResponse : ResultsResponse<StatusCode>, IUaDecodable<StatusResultsResponse>
{


    public static StatusResultsResponse Decode(ref UaBinaryReader r) => DecodeResults<StatusResultsResponse>(ref r, static (ref UaBinaryReader x) => x.ReadStatusCode(), 4);
}
