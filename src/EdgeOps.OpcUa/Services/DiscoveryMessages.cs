using EdgeOps.OpcUa.Encoding;
using EdgeOps.OpcUa.Types;

namespace EdgeOps.OpcUa.Services;

internal sealed class ApplicationDescription
{
    public string? ApplicationUri { get; set; }
    public string? ProductUri { get; set; }
    public LocalizedText ApplicationName { get; set; } = LocalizedText.Null;
    public int ApplicationType { get; set; }
    public string? GatewayServerUri { get; set; }
    public string? DiscoveryProfileUri { get; set; }
    public string?[] DiscoveryUrls { get; set; } = [];

    public void Encode(UaBinaryWriter w)
    {
        w.WriteString(ApplicationUri);
        w.WriteString(ProductUri);
        w.WriteLocalizedText(ApplicationName);
        w.WriteInt32(ApplicationType);
        w.WriteString(GatewayServerUri);
        w.WriteString(DiscoveryProfileUri);
        w.WriteArray(DiscoveryUrls, static (x, s) => x.WriteString(s));
    }

    public static ApplicationDescription Decode(ref UaBinaryReader r) => new()
    {
        ApplicationUri = r.ReadString(),
        ProductUri = r.ReadString(),
        ApplicationName = r.ReadLocalizedText(),
        ApplicationType = r.ReadInt32(),
        GatewayServerUri = r.ReadString(),
        DiscoveryProfileUri = r.ReadString(),
        DiscoveryUrls = r.ReadList(static (ref UaBinaryReader x) => x.ReadString(), 4, "DiscoveryUrls"),
    };
}

internal enum UserTokenType
{
    Anonymous = 0,
    UserName = 1,
    Certificate = 2,
    IssuedToken = 3,
}

internal sealed class UserTokenPolicy
{
    public string? PolicyId { get; set; }
    public UserTokenType TokenType { get; set; }
    public string? IssuedTokenType { get; set; }
    public string? IssuerEndpointUrl { get; set; }
    public string? SecurityPolicyUri { get; set; }

    public static UserTokenPolicy Decode(ref UaBinaryReader r) => new()
    {
        PolicyId = r.ReadString(),
        TokenType = (UserTokenType)r.ReadInt32(),
        IssuedTokenType = r.ReadString(),
        IssuerEndpointUrl = r.ReadString(),
        SecurityPolicyUri = r.ReadString(),
    };
}

internal sealed class EndpointDescription
{
    public string? EndpointUrl { get; set; }
    public ApplicationDescription Server { get; set; } = new();
    public byte[]? ServerCertificate { get; set; }
    public MessageSecurityMode SecurityMode { get; set; }
    public string? SecurityPolicyUri { get; set; }
    public UserTokenPolicy[] UserIdentityTokens { get; set; } = [];
    public string? TransportProfileUri { get; set; }
    public byte SecurityLevel { get; set; }

    public static EndpointDescription Decode(ref UaBinaryReader r) => new()
    {
        EndpointUrl = r.ReadString(),
        Server = ApplicationDescription.Decode(ref r),
        ServerCertificate = r.ReadByteString(),
        SecurityMode = (MessageSecurityMode)r.ReadInt32(),
        SecurityPolicyUri = r.ReadString(),
        UserIdentityTokens = r.ReadList(UserTokenPolicy.Decode, 20, "UserIdentityTokens"),
        TransportProfileUri = r.ReadString(),
        SecurityLevel = r.ReadByte(),
    };
}

internal sealed class GetEndpointsRequest : UaRequest
{
    public override uint BinaryEncodingId => EncodingIds.GetEndpointsRequest;
    public string? EndpointUrl { get; set; }

    protected override void EncodeBody(UaBinaryWriter w)
    {
        w.WriteString(EndpointUrl);
        w.WriteInt32(-1);
        w.WriteInt32(-1);
    }
}

internal sealed class GetEndpointsResponse : UaResponse, IUaDecodable<GetEndpointsResponse>
{
    public const uint EncodingId = EncodingIds.GetEndpointsResponse;
    public EndpointDescription[] Endpoints { get; set; } = [];

    public static GetEndpointsResponse Decode(ref UaBinaryReader r) => new()
    {
        Header = ResponseHeader.Decode(ref r),
        Endpoints = r.ReadList(EndpointDescription.Decode, 30, "Endpoints"),
    };
}
