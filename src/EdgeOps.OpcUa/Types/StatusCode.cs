using System.Globalization;

namespace EdgeOps.OpcUa.Types;

/// <summary>
/// An OPC UA status code (Part 4 §7.39, Part 6 §5.2.2.11). The severity lives in the top two bits and the
/// sub-code in bits 16–29; the low 16 bits carry info flags, so codes compare on the top 16 bits.
/// </summary>
/// <param name="Code">The 32-bit code as it travels on the wire.</param>
public readonly record struct StatusCode(uint Code)
{
    /// <summary>Good (0).</summary>
    public static readonly StatusCode Good = new(0);
    /// <summary>Bad_UnexpectedError.</summary>
    public static readonly StatusCode BadUnexpectedError = new(0x80010000);
    /// <summary>Bad_InternalError.</summary>
    public static readonly StatusCode BadInternalError = new(0x80020000);
    /// <summary>Bad_CommunicationError.</summary>
    public static readonly StatusCode BadCommunicationError = new(0x80050000);
    /// <summary>Bad_EncodingError.</summary>
    public static readonly StatusCode BadEncodingError = new(0x80060000);
    /// <summary>Bad_DecodingError: the bytes do not form a valid message.</summary>
    public static readonly StatusCode BadDecodingError = new(0x80070000);
    /// <summary>Bad_EncodingLimitsExceeded: a length is larger than the negotiated limits allow.</summary>
    public static readonly StatusCode BadEncodingLimitsExceeded = new(0x80080000);
    /// <summary>Bad_RequestTooLarge.</summary>
    public static readonly StatusCode BadRequestTooLarge = new(0x80B80000);
    /// <summary>Bad_ResponseTooLarge.</summary>
    public static readonly StatusCode BadResponseTooLarge = new(0x80B90000);
    /// <summary>Bad_UnknownResponse.</summary>
    public static readonly StatusCode BadUnknownResponse = new(0x80090000);
    /// <summary>Bad_Timeout.</summary>
    public static readonly StatusCode BadTimeout = new(0x800A0000);
    /// <summary>Bad_MonitoredItemIdInvalid: no monitored item with that id (or client handle) exists.</summary>
    public static readonly StatusCode BadMonitoredItemIdInvalid = new(0x80420000);
    /// <summary>Good_SubscriptionTransferred: the subscription was transferred to another session.</summary>
    public static readonly StatusCode GoodSubscriptionTransferred = new(0x002D0000);
    /// <summary>Bad_ServiceUnsupported.</summary>
    public static readonly StatusCode BadServiceUnsupported = new(0x800B0000);
    /// <summary>Bad_Shutdown.</summary>
    public static readonly StatusCode BadShutdown = new(0x800C0000);
    /// <summary>Bad_ServerNotConnected.</summary>
    public static readonly StatusCode BadServerNotConnected = new(0x800D0000);
    /// <summary>Bad_TooManyOperations: a request exceeded the server's operation limits.</summary>
    public static readonly StatusCode BadTooManyOperations = new(0x80100000);
    /// <summary>Bad_SecurityChecksFailed.</summary>
    public static readonly StatusCode BadSecurityChecksFailed = new(0x80130000);
    /// <summary>Bad_CertificateInvalid: the certificate does not parse or breaks the rules for its use.</summary>
    public static readonly StatusCode BadCertificateInvalid = new(0x80120000);
    /// <summary>Bad_CertificateTimeInvalid: expired or not yet valid.</summary>
    public static readonly StatusCode BadCertificateTimeInvalid = new(0x80140000);
    /// <summary>Bad_CertificateHostNameInvalid: the host we connected to is not in the certificate.</summary>
    public static readonly StatusCode BadCertificateHostNameInvalid = new(0x80160000);
    /// <summary>Bad_CertificateUriInvalid: the ApplicationUri does not match the certificate's.</summary>
    public static readonly StatusCode BadCertificateUriInvalid = new(0x80170000);
    /// <summary>Bad_CertificateUseNotAllowed: the key usage does not allow this use.</summary>
    public static readonly StatusCode BadCertificateUseNotAllowed = new(0x80180000);
    /// <summary>Bad_CertificateUntrusted: neither the certificate nor an issuer is trusted.</summary>
    public static readonly StatusCode BadCertificateUntrusted = new(0x801A0000);
    /// <summary>Bad_CertificateRevoked: a CRL lists the certificate.</summary>
    public static readonly StatusCode BadCertificateRevoked = new(0x801D0000);
    /// <summary>Bad_CertificatePolicyCheckFailed: e.g. the key is shorter than the security policy allows.</summary>
    public static readonly StatusCode BadCertificatePolicyCheckFailed = new(0x81140000);
    /// <summary>Bad_SecurityModeRejected.</summary>
    public static readonly StatusCode BadSecurityModeRejected = new(0x80540000);
    /// <summary>Bad_SecurityPolicyRejected.</summary>
    public static readonly StatusCode BadSecurityPolicyRejected = new(0x80550000);
    /// <summary>Bad_ApplicationSignatureInvalid: a session signature does not verify.</summary>
    public static readonly StatusCode BadApplicationSignatureInvalid = new(0x80580000);
    /// <summary>Bad_UserAccessDenied: wrong user name or password.</summary>
    public static readonly StatusCode BadUserAccessDenied = new(0x801F0000);
    /// <summary>Bad_IdentityTokenInvalid.</summary>
    public static readonly StatusCode BadIdentityTokenInvalid = new(0x80200000);
    /// <summary>Bad_IdentityTokenRejected.</summary>
    public static readonly StatusCode BadIdentityTokenRejected = new(0x80210000);
    /// <summary>Bad_SecureChannelIdInvalid.</summary>
    public static readonly StatusCode BadSecureChannelIdInvalid = new(0x80220000);
    /// <summary>Bad_NonceInvalid.</summary>
    public static readonly StatusCode BadNonceInvalid = new(0x80240000);
    /// <summary>Bad_SessionIdInvalid: the server no longer knows the session.</summary>
    public static readonly StatusCode BadSessionIdInvalid = new(0x80250000);
    /// <summary>Bad_SessionClosed.</summary>
    public static readonly StatusCode BadSessionClosed = new(0x80260000);
    /// <summary>Bad_SessionNotActivated.</summary>
    public static readonly StatusCode BadSessionNotActivated = new(0x80270000);
    /// <summary>Bad_SubscriptionIdInvalid.</summary>
    public static readonly StatusCode BadSubscriptionIdInvalid = new(0x80280000);
    /// <summary>Bad_NoCommunication.</summary>
    public static readonly StatusCode BadNoCommunication = new(0x80310000);
    /// <summary>Bad_WaitingForInitialData.</summary>
    public static readonly StatusCode BadWaitingForInitialData = new(0x80320000);
    /// <summary>Bad_NodeIdInvalid.</summary>
    public static readonly StatusCode BadNodeIdInvalid = new(0x80330000);
    /// <summary>Bad_NodeIdUnknown: the node does not exist (for example after a PLC download).</summary>
    public static readonly StatusCode BadNodeIdUnknown = new(0x80340000);
    /// <summary>Bad_AttributeIdInvalid.</summary>
    public static readonly StatusCode BadAttributeIdInvalid = new(0x80350000);
    /// <summary>Bad_NotReadable.</summary>
    public static readonly StatusCode BadNotReadable = new(0x803A0000);
    /// <summary>Bad_NotWritable.</summary>
    public static readonly StatusCode BadNotWritable = new(0x803B0000);
    /// <summary>Bad_ContinuationPointInvalid.</summary>
    public static readonly StatusCode BadContinuationPointInvalid = new(0x804A0000);
    /// <summary>Bad_NoContinuationPoints.</summary>
    public static readonly StatusCode BadNoContinuationPoints = new(0x804B0000);
    /// <summary>Bad_TooManySessions.</summary>
    public static readonly StatusCode BadTooManySessions = new(0x80560000);
    /// <summary>Bad_TypeMismatch.</summary>
    public static readonly StatusCode BadTypeMismatch = new(0x80740000);
    /// <summary>Bad_TooManyPublishRequests.</summary>
    public static readonly StatusCode BadTooManyPublishRequests = new(0x80780000);
    /// <summary>Bad_NoSubscription.</summary>
    public static readonly StatusCode BadNoSubscription = new(0x80790000);
    /// <summary>Bad_SequenceNumberUnknown.</summary>
    public static readonly StatusCode BadSequenceNumberUnknown = new(0x807A0000);
    /// <summary>Bad_MessageNotAvailable: a republish found nothing more.</summary>
    public static readonly StatusCode BadMessageNotAvailable = new(0x807B0000);
    /// <summary>Bad_TcpMessageTypeInvalid.</summary>
    public static readonly StatusCode BadTcpMessageTypeInvalid = new(0x807E0000);
    /// <summary>Bad_TcpSecureChannelUnknown.</summary>
    public static readonly StatusCode BadTcpSecureChannelUnknown = new(0x807F0000);
    /// <summary>Bad_TcpMessageTooLarge.</summary>
    public static readonly StatusCode BadTcpMessageTooLarge = new(0x80800000);
    /// <summary>Bad_TcpInternalError.</summary>
    public static readonly StatusCode BadTcpInternalError = new(0x80820000);
    /// <summary>Bad_TcpEndpointUrlInvalid.</summary>
    public static readonly StatusCode BadTcpEndpointUrlInvalid = new(0x80830000);
    /// <summary>Bad_SecureChannelClosed.</summary>
    public static readonly StatusCode BadSecureChannelClosed = new(0x80860000);
    /// <summary>Bad_SecureChannelTokenUnknown.</summary>
    public static readonly StatusCode BadSecureChannelTokenUnknown = new(0x80870000);
    /// <summary>Bad_SequenceNumberInvalid.</summary>
    public static readonly StatusCode BadSequenceNumberInvalid = new(0x80880000);
    /// <summary>Bad_ConnectionClosed.</summary>
    public static readonly StatusCode BadConnectionClosed = new(0x80AE0000);
    /// <summary>Bad_InvalidState.</summary>
    public static readonly StatusCode BadInvalidState = new(0x80AF0000);
    /// <summary>Bad_NotConnected.</summary>
    public static readonly StatusCode BadNotConnected = new(0x808A0000);
    /// <summary>Bad_NotFound.</summary>
    public static readonly StatusCode BadNotFound = new(0x803E0000);
    /// <summary>Bad_NotSupported.</summary>
    public static readonly StatusCode BadNotSupported = new(0x803D0000);

    private static readonly Dictionary<uint, string> Names = BuildNames();

    /// <summary>True when the severity is Good (top two bits 00).</summary>
    public bool IsGood => (Code & 0xC0000000) == 0;

    /// <summary>True when the severity is Uncertain (top two bits 01).</summary>
    public bool IsUncertain => (Code & 0xC0000000) == 0x40000000;

    /// <summary>True when the severity is Bad (top bit set).</summary>
    public bool IsBad => (Code & 0x80000000) != 0;

    /// <summary>True when both codes name the same condition (info bits ignored).</summary>
    public bool Is(StatusCode other) => (Code & 0xFFFF0000) == (other.Code & 0xFFFF0000);

    /// <summary>The symbolic name (e.g. <c>BadNodeIdUnknown</c>) when known, otherwise the hex code.</summary>
    public string Name => Names.TryGetValue(Code & 0xFFFF0000, out var name)
        ? name
        : "0x" + Code.ToString("X8", CultureInfo.InvariantCulture);

    /// <inheritdoc />
    public override string ToString() => Names.ContainsKey(Code & 0xFFFF0000)
        ? $"{Name} (0x{Code.ToString("X8", CultureInfo.InvariantCulture)})"
        : Name;

    private static Dictionary<uint, string> BuildNames()
    {
        var names = new Dictionary<uint, string> { [0] = "Good", [0x40000000] = "Uncertain", [0x80000000] = "Bad" };
        foreach (var field in typeof(StatusCode).GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static))
        {
            if (field.FieldType == typeof(StatusCode) && field.GetValue(null) is StatusCode code)
            {
                names[code.Code & 0xFFFF0000] = field.Name;
            }
        }

        return names;
    }
}
