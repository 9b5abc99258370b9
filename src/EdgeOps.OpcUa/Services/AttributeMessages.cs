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
    public override uint BinaryEncodingId => 631;
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

internal sealed class ReadResponse : UaResponse
{
    public const uint EncodingId = 634;
    public DataValue[] Results { get; set; } = [];

    public static ReadResponse Decode(ref UaBinaryReader r)
    {
        var m = new ReadResponse
        {
            Header = ResponseHeader.Decode(ref r),
            Results = r.ReadList(static (ref UaBinaryReader x) => x.ReadDataValue(), 1, "Results"),
        };
        r.ReadArray(static (ref UaBinaryReader x) => x.ReadDiagnosticInfo(), 1, "DiagnosticInfos");
        return m;
    }
}

internal sealed record WriteValue(NodeId NodeId, DataValue Value, uint AttributeId = Attributes.Value);

internal sealed class WriteRequest : UaRequest
{
    public override uint BinaryEncodingId => 673;
    public IReadOnlyList<WriteValue> NodesToWrite { get; set; } = [];

    protected override void EncodeBody(UaBinaryWriter w) => w.WriteArray(NodesToWrite, static (x, n) =>
    {
        x.WriteNodeId(n.NodeId);
        x.WriteUInt32(n.AttributeId);
        x.WriteString(null);
        x.WriteDataValue(n.Value);
    });
}

internal sealed class StatusResultsResponse : UaResponse
{
    public StatusCode[] Results { get; set; } = [];

    public static StatusResultsResponse Decode(ref UaBinaryReader r)
    {
        var m = new StatusResultsResponse
        {
            Header = ResponseHeader.Decode(ref r),
            Results = r.ReadList(static (ref UaBinaryReader x) => x.ReadStatusCode(), 4, "Results"),
        };
        r.ReadArray(static (ref UaBinaryReader x) => x.ReadDiagnosticInfo(), 1, "DiagnosticInfos");
        return m;
    }
}
