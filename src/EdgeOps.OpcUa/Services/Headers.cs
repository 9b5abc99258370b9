using EdgeOps.OpcUa.Encoding;
using EdgeOps.OpcUa.Types;

namespace EdgeOps.OpcUa.Services;

/// <summary>Part 4 §7.28.</summary>
internal sealed class RequestHeader
{
    public NodeId AuthenticationToken { get; set; } = NodeId.Null;
    public DateTime Timestamp { get; set; }
    public uint RequestHandle { get; set; }
    public uint ReturnDiagnostics { get; set; }
    public string? AuditEntryId { get; set; }
    public uint TimeoutHint { get; set; }

    public void Encode(UaBinaryWriter w)
    {
        w.WriteNodeId(AuthenticationToken);
        w.WriteDateTime(Timestamp);
        w.WriteUInt32(RequestHandle);
        w.WriteUInt32(ReturnDiagnostics);
        w.WriteString(AuditEntryId);
        w.WriteUInt32(TimeoutHint);
        w.WriteExtensionObject(null);
    }

    public static RequestHeader Decode(ref UaBinaryReader r)
    {
        var h = new RequestHeader
        {
            AuthenticationToken = r.ReadNodeId(),
            Timestamp = r.ReadDateTime(),
            RequestHandle = r.ReadUInt32(),
            ReturnDiagnostics = r.ReadUInt32(),
            AuditEntryId = r.ReadString(),
            TimeoutHint = r.ReadUInt32(),
        };
        r.ReadExtensionObject();
        return h;
    }
}

/// <summary>Part 4 §7.29.</summary>
internal sealed class ResponseHeader
{
    public DateTime Timestamp { get; set; }
    public uint RequestHandle { get; set; }
    public StatusCode ServiceResult { get; set; }
    public DiagnosticInfo? ServiceDiagnostics { get; set; }
    public string?[] StringTable { get; set; } = [];

    public void Encode(UaBinaryWriter w)
    {
        w.WriteDateTime(Timestamp);
        w.WriteUInt32(RequestHandle);
        w.WriteStatusCode(ServiceResult);
        w.WriteDiagnosticInfo(ServiceDiagnostics);
        w.WriteArray(StringTable, static (x, s) => x.WriteString(s));
        w.WriteExtensionObject(null);
    }

    public static ResponseHeader Decode(ref UaBinaryReader r)
    {
        var h = new ResponseHeader
        {
            Timestamp = r.ReadDateTime(),
            RequestHandle = r.ReadUInt32(),
            ServiceResult = r.ReadStatusCode(),
            ServiceDiagnostics = r.ReadDiagnosticInfo(),
            StringTable = r.ReadList(static (ref UaBinaryReader x) => x.ReadString(), 4, "StringTable"),
        };
        r.ReadExtensionObject();
        return h;
    }
}

/// <summary>A service request: its header, then its body, behind the DefaultBinary encoding id.</summary>
internal abstract class UaRequest : IUaEncodable
{
    public RequestHeader Header { get; set; } = new();

    public abstract uint BinaryEncodingId { get; }

    public void Encode(UaBinaryWriter writer)
    {
        Header.Encode(writer);
        EncodeBody(writer);
    }

    protected abstract void EncodeBody(UaBinaryWriter w);
}

/// <summary>A service response; every one starts with a <see cref="ResponseHeader"/>.</summary>
internal abstract class UaResponse
{
    public ResponseHeader Header { get; set; } = new();
}

/// <summary>The answer to any request the server could not process (Part 4 §7.30).</summary>
internal sealed class ServiceFault : UaResponse, IUaDecodable<ServiceFault>
{
    public const uint EncodingId = EncodingIds.ServiceFault;

    public static ServiceFault Decode(ref UaBinaryReader r) => new() { Header = ResponseHeader.Decode(ref r) };
}
