using EdgeOps.OpcUa.Encoding;
using EdgeOps.OpcUa.Types;

namespace EdgeOps.OpcUa.Services;

internal sealed record CallMethodRequest(NodeId ObjectId, NodeId MethodId, IReadOnlyList<Variant> InputArguments);

internal sealed class CallRequest : UaRequest
{
    public override uint BinaryEncodingId => EncodingIds.CallRequest;
    public IReadOnlyList<CallMethodRequest> MethodsToCall { get; set; } = [];

    protected override void EncodeBody(UaBinaryWriter w) => w.WriteArray(MethodsToCall, static (x, c) =>
    {
        x.WriteNodeId(c.ObjectId);
        x.WriteNodeId(c.MethodId);
        x.WriteArray(c.InputArguments, static (y, v) => y.WriteVariant(v));
    });
}

internal sealed record CallMethodResult(StatusCode StatusCode, StatusCode[] InputArgumentResults, Variant[] OutputArguments);

internal sealed class CallResponse : ResultsResponse<CallMethodResult>, IUaDecodable<CallResponse>
{
    public const uint EncodingId = EncodingIds.CallResponse;

    public static CallResponse Decode(ref UaBinaryReader r) => DecodeResults<CallResponse>(ref r, static (ref UaBinaryReader x) =>
    {
        var status = x.ReadStatusCode();
        var inputResults = x.ReadList(static (ref UaBinaryReader y) => y.ReadStatusCode(), 4, "InputArgumentResults");
        x.ReadArray(static (ref UaBinaryReader y) => y.ReadDiagnosticInfo(), 1, "InputArgumentDiagnosticInfos");
        var outputs = x.ReadList(static (ref UaBinaryReader y) => y.ReadVariant(), 1, "OutputArguments");
        return new CallMethodResult(status, inputResults, outputs);
    }, 16);
}
