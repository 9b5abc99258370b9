using EdgeOps.OpcUa.Encoding;
using EdgeOps.OpcUa.Types;

namespace EdgeOps.OpcUa.Services;

internal enum SecurityTokenRequestType
{
    Issue = 0,
    Renew = 1,
}

internal enum MessageSecurityMode
{
    Invalid = 0,
    None = 1,
    Sign = 2,
    SignAndEncrypt = 3,
}

internal sealed class OpenSecureChannelRequest : UaRequest
{
    public override uint BinaryEncodingId => EncodingIds.OpenSecureChannelRequest;
    public uint ClientProtocolVersion { get; set; }
    public SecurityTokenRequestType RequestType { get; set; }
    public MessageSecurityMode SecurityMode { get; set; } = MessageSecurityMode.None;
    public byte[]? ClientNonce { get; set; }
    public uint RequestedLifetime { get; set; }

    protected override void EncodeBody(UaBinaryWriter w)
    {
        w.WriteUInt32(ClientProtocolVersion);
        w.WriteInt32((int)RequestType);
        w.WriteInt32((int)SecurityMode);
        w.WriteByteString(ClientNonce);
        w.WriteUInt32(RequestedLifetime);
    }
}

internal sealed class ChannelSecurityToken
{
    public uint ChannelId { get; set; }
    public uint TokenId { get; set; }
    public DateTime CreatedAt { get; set; }
    public uint RevisedLifetime { get; set; }
}

internal sealed class OpenSecureChannelResponse : UaResponse, IUaDecodable<OpenSecureChannelResponse>
{
    public const uint EncodingId = EncodingIds.OpenSecureChannelResponse;
    public uint ServerProtocolVersion { get; set; }
    public ChannelSecurityToken SecurityToken { get; set; } = new();
    public byte[]? ServerNonce { get; set; }

    public static OpenSecureChannelResponse Decode(ref UaBinaryReader r) => new()
    {
        Header = ResponseHeader.Decode(ref r),
        ServerProtocolVersion = r.ReadUInt32(),
        SecurityToken = new ChannelSecurityToken
        {
            ChannelId = r.ReadUInt32(),
            TokenId = r.ReadUInt32(),
            CreatedAt = r.ReadDateTime(),
            RevisedLifetime = r.ReadUInt32(),
        },
        ServerNonce = r.ReadByteString(),
    };
}

internal sealed class CloseSecureChannelRequest : UaRequest
{
    public override uint BinaryEncodingId => EncodingIds.CloseSecureChannelRequest;

    protected override void EncodeBody(UaBinaryWriter w)
    {
    }
}
