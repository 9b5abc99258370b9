using EdgeOps.OpcUa.Encoding;
using EdgeOps.OpcUa.Types;

namespace EdgeOps.OpcUa.Services;

internal sealed class SignatureData
{
    public string? Algorithm { get; set; }
    public byte[]? Signature { get; set; }

    public void Encode(UaBinaryWriter w)
    {
        w.WriteString(Algorithm);
        w.WriteByteString(Signature);
    }

    public static SignatureData Decode(ref UaBinaryReader r) => new() { Algorithm = r.ReadString(), Signature = r.ReadByteString() };
}

internal sealed class CreateSessionRequest : UaRequest
{
    public override uint BinaryEncodingId => EncodingIds.CreateSessionRequest;
    public ApplicationDescription ClientDescription { get; set; } = new();
    public string? ServerUri { get; set; }
    public string? EndpointUrl { get; set; }
    public string? SessionName { get; set; }
    public byte[]? ClientNonce { get; set; }
    public byte[]? ClientCertificate { get; set; }
    public double RequestedSessionTimeout { get; set; }
    public uint MaxResponseMessageSize { get; set; }

    protected override void EncodeBody(UaBinaryWriter w)
    {
        ClientDescription.Encode(w);
        w.WriteString(ServerUri);
        w.WriteString(EndpointUrl);
        w.WriteString(SessionName);
        w.WriteByteString(ClientNonce);
        w.WriteByteString(ClientCertificate);
        w.WriteDouble(RequestedSessionTimeout);
        w.WriteUInt32(MaxResponseMessageSize);
    }
}

internal sealed class CreateSessionResponse : UaResponse, IUaDecodable<CreateSessionResponse>
{
    public const uint EncodingId = EncodingIds.CreateSessionResponse;
    public NodeId SessionId { get; set; } = NodeId.Null;
    public NodeId AuthenticationToken { get; set; } = NodeId.Null;
    public double RevisedSessionTimeout { get; set; }
    public byte[]? ServerNonce { get; set; }
    public byte[]? ServerCertificate { get; set; }
    public EndpointDescription[] ServerEndpoints { get; set; } = [];
    public uint MaxRequestMessageSize { get; set; }
    public SignatureData ServerSignature { get; set; } = new();

    public static CreateSessionResponse Decode(ref UaBinaryReader r)
    {
        var m = new CreateSessionResponse
        {
            Header = ResponseHeader.Decode(ref r),
            SessionId = r.ReadNodeId(),
            AuthenticationToken = r.ReadNodeId(),
            RevisedSessionTimeout = r.ReadDouble(),
            ServerNonce = r.ReadByteString(),
            ServerCertificate = r.ReadByteString(),
            ServerEndpoints = r.ReadList(EndpointDescription.Decode, 30, "ServerEndpoints"),
        };
        r.ReadArray(static (ref UaBinaryReader x) => { x.ReadByteString(); x.ReadByteString(); return 0; }, 8, "ServerSoftwareCertificates");
        m.ServerSignature = SignatureData.Decode(ref r);
        m.MaxRequestMessageSize = r.ReadUInt32();
        return m;
    }
}

internal sealed class AnonymousIdentityToken : IUaStructure, IUaDecodable<AnonymousIdentityToken>
{
    public uint BinaryEncodingId => EncodingIds.AnonymousIdentityToken;
    public string? PolicyId { get; set; }

    public void Encode(UaBinaryWriter writer) => writer.WriteString(PolicyId);

    public static AnonymousIdentityToken Decode(ref UaBinaryReader r) => new() { PolicyId = r.ReadString() };
}

internal sealed class UserNameIdentityToken : IUaStructure, IUaDecodable<UserNameIdentityToken>
{
    public uint BinaryEncodingId => EncodingIds.UserNameIdentityToken;
    public string? PolicyId { get; set; }
    public string? UserName { get; set; }
    public byte[]? Password { get; set; }
    public string? EncryptionAlgorithm { get; set; }

    public void Encode(UaBinaryWriter writer)
    {
        writer.WriteString(PolicyId);
        writer.WriteString(UserName);
        writer.WriteByteString(Password);
        writer.WriteString(EncryptionAlgorithm);
    }

    public static UserNameIdentityToken Decode(ref UaBinaryReader r) => new()
    {
        PolicyId = r.ReadString(),
        UserName = r.ReadString(),
        Password = r.ReadByteString(),
        EncryptionAlgorithm = r.ReadString(),
    };
}

internal sealed class X509IdentityToken : IUaStructure
{
    public uint BinaryEncodingId => EncodingIds.X509IdentityToken;
    public string? PolicyId { get; set; }
    public byte[]? CertificateData { get; set; }

    public void Encode(UaBinaryWriter writer)
    {
        writer.WriteString(PolicyId);
        writer.WriteByteString(CertificateData);
    }
}

internal sealed class ActivateSessionRequest : UaRequest
{
    public override uint BinaryEncodingId => EncodingIds.ActivateSessionRequest;
    public SignatureData ClientSignature { get; set; } = new();
    public IUaStructure? UserIdentityToken { get; set; }
    public SignatureData UserTokenSignature { get; set; } = new();

    protected override void EncodeBody(UaBinaryWriter w)
    {
        ClientSignature.Encode(w);
        w.WriteInt32(-1); // ClientSoftwareCertificates
        w.WriteArray(["en"], static (x, s) => x.WriteString(s));
        w.WriteStructure(UserIdentityToken);
        UserTokenSignature.Encode(w);
    }
}

internal sealed class ActivateSessionResponse : UaResponse, IUaDecodable<ActivateSessionResponse>
{
    public const uint EncodingId = EncodingIds.ActivateSessionResponse;
    public byte[]? ServerNonce { get; set; }
    public StatusCode[] Results { get; set; } = [];

    public static ActivateSessionResponse Decode(ref UaBinaryReader r)
    {
        var m = new ActivateSessionResponse
        {
            Header = ResponseHeader.Decode(ref r),
            ServerNonce = r.ReadByteString(),
            Results = ServiceResults.Read(ref r, static (ref UaBinaryReader x) => x.ReadStatusCode(), 4),
        };
        return m;
    }
}

internal sealed class CloseSessionRequest : UaRequest
{
    public override uint BinaryEncodingId => EncodingIds.CloseSessionRequest;
    public bool DeleteSubscriptions { get; set; }

    protected override void EncodeBody(UaBinaryWriter w) => w.WriteBoolean(DeleteSubscriptions);
}

internal sealed class CloseSessionResponse : UaResponse, IUaDecodable<CloseSessionResponse>
{
    public const uint EncodingId = EncodingIds.CloseSessionResponse;

    public static CloseSessionResponse Decode(ref UaBinaryReader r) => new() { Header = ResponseHeader.Decode(ref r) };
}
