using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EdgeOps.OpcUa.Encoding;
using EdgeOps.OpcUa.Security;
using EdgeOps.OpcUa.Services;
using EdgeOps.OpcUa.Types;

namespace EdgeOps.OpcUa.Client;

/// <summary>
/// Builds the identity token of ActivateSession (Part 4 §7.36). A password is encrypted with the server certificate
/// whenever the token policy (or, without one, the channel) names a security policy; it travels readable only when the
/// endpoint leaves no other way and <see cref="OpcUaClientOptions.AllowPlaintextPassword"/> says so. Token policies
/// that encrypt are preferred; the deprecated Basic128Rsa15 only when allowed. An X509 token proves possession of the
/// user's key by signing the server certificate and nonce.
/// </summary>
internal static class UserIdentity
{
    public static (IUaStructure Token, SignatureData Signature) Build(OpcUaClientOptions options, EndpointDescription endpoint, byte[]? serverCertificate,
        byte[]? serverNonce)
    {
        if (options.UserCertificate is { } userCertificate)
        {
            return X509(options, endpoint, userCertificate, serverCertificate, serverNonce);
        }

        if (options.UserName is null)
        {
            var anonymous = endpoint.UserIdentityTokens.FirstOrDefault(t => t.TokenType == UserTokenType.Anonymous)
                ?? throw new OpcUaException(StatusCode.BadIdentityTokenRejected, $"Endpoint {endpoint.EndpointUrl} does not allow anonymous access; configure a user name.");
            return (new AnonymousIdentityToken { PolicyId = anonymous.PolicyId }, new SignatureData());
        }

        var candidates = endpoint.UserIdentityTokens.Where(t => t.TokenType == UserTokenType.UserName).ToList();
        if (candidates.Count == 0)
        {
            throw new OpcUaException(StatusCode.BadIdentityTokenRejected, $"Endpoint {endpoint.EndpointUrl} does not accept user names.");
        }

        SecurityPolicy? Effective(UserTokenPolicy t) =>
            SecurityPolicy.Find(string.IsNullOrEmpty(t.SecurityPolicyUri) ? endpoint.SecurityPolicyUri : t.SecurityPolicyUri) ?? SecurityPolicy.None;
        bool Usable(SecurityPolicy p) => p != SecurityPolicy.Basic128Rsa15 || options.AllowBasic128Rsa15;

        // Prefer a policy that encrypts the password, the strongest first.
        var policy = candidates.Where(t => Effective(t) is { } p && p != SecurityPolicy.None && Usable(p)).OrderByDescending(t => Effective(t)!.Rank).FirstOrDefault()
            ?? candidates.FirstOrDefault(t => Effective(t) == SecurityPolicy.None);
        if (policy is null)
        {
            throw new OpcUaException(StatusCode.BadSecurityPolicyRejected,
                $"Endpoint {endpoint.EndpointUrl} encrypts passwords only with the deprecated Basic128Rsa15; set allowBasic128Rsa15: true for this endpoint to accept that.");
        }

        var securityPolicy = Effective(policy)!;
        var password = System.Text.Encoding.UTF8.GetBytes(options.Password ?? string.Empty);
        if (securityPolicy == SecurityPolicy.None)
        {
            // Readable on the wire unless the channel itself encrypts.
            if (endpoint.SecurityMode != MessageSecurityMode.SignAndEncrypt && !options.AllowPlaintextPassword)
            {
                CryptographicOperations.ZeroMemory(password);
                throw new OpcUaException(StatusCode.BadSecurityPolicyRejected,
                    $"Endpoint {endpoint.EndpointUrl} ({endpoint.SecurityMode}) would receive the password of user '{options.UserName}' unencrypted; "
                    + "use an endpoint with security, or set allowPlaintextPassword: true for this endpoint if the network is trusted.");
            }

            return (new UserNameIdentityToken { PolicyId = policy.PolicyId, UserName = options.UserName, Password = password }, new SignatureData());
        }

        if (serverCertificate is null || serverCertificate.Length == 0)
        {
            throw new OpcUaException(StatusCode.BadSecurityChecksFailed, "The server sent no certificate to encrypt the password with.");
        }

        var nonce = serverNonce ?? [];
        if (nonce.Length < SecurityPolicy.NonceLength)
        {
            throw new OpcUaException(StatusCode.BadNonceInvalid,
                $"{endpoint.EndpointUrl} sent a {nonce.Length}-byte session nonce; at least {SecurityPolicy.NonceLength} bytes are needed to encrypt the password safely.");
        }

        var plain = new byte[4 + password.Length + nonce.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(plain, (uint)(password.Length + nonce.Length));
        password.CopyTo(plain, 4);
        nonce.CopyTo(plain, 4 + password.Length);
        CryptographicOperations.ZeroMemory(password);

        using var certificate = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(CertificateFiles.FirstCertificate(serverCertificate));
        using var rsa = certificate.GetRSAPublicKey()
            ?? throw new OpcUaException(StatusCode.BadSecurityChecksFailed, "The server certificate has no RSA key.");
        var block = rsa.KeySize / 8 - securityPolicy.AsymmetricPaddingOverhead;
        using var output = new MemoryStream();
        for (var at = 0; at < plain.Length; at += block)
        {
            output.Write(rsa.Encrypt(plain.AsSpan(at, Math.Min(block, plain.Length - at)).ToArray(), securityPolicy.AsymmetricEncryption!));
        }

        CryptographicOperations.ZeroMemory(plain);
        return (new UserNameIdentityToken
        {
            PolicyId = policy.PolicyId,
            UserName = options.UserName,
            Password = output.ToArray(),
            EncryptionAlgorithm = securityPolicy.AsymmetricEncryptionAlgorithm,
        }, new SignatureData());
    }

    private static (IUaStructure, SignatureData) X509(OpcUaClientOptions options, EndpointDescription endpoint,
        System.Security.Cryptography.X509Certificates.X509Certificate2 user, byte[]? serverCertificate, byte[]? serverNonce)
    {
        var policy = endpoint.UserIdentityTokens.FirstOrDefault(t => t.TokenType == UserTokenType.Certificate)
            ?? throw new OpcUaException(StatusCode.BadIdentityTokenRejected, $"Endpoint {endpoint.EndpointUrl} does not accept X509 user certificates.");
        var securityPolicy = SecurityPolicy.Find(string.IsNullOrEmpty(policy.SecurityPolicyUri) ? endpoint.SecurityPolicyUri : policy.SecurityPolicyUri);
        if (securityPolicy is null || securityPolicy == SecurityPolicy.None || securityPolicy == SecurityPolicy.Basic128Rsa15)
        {
            securityPolicy = SecurityPolicy.Basic256Sha256; // RSA-SHA256: the weakest signature we still make
        }

        using var key = user.GetRSAPrivateKey()
            ?? throw new OpcUaException(StatusCode.BadCertificateInvalid, $"The user certificate '{user.Subject}' of {options.EndpointUrl} has no RSA private key.");
        var leaf = CertificateFiles.FirstCertificate(serverCertificate ?? []);
        var nonce = serverNonce ?? [];
        var data = new byte[leaf.Length + nonce.Length];
        leaf.CopyTo(data);
        nonce.CopyTo(data.AsSpan(leaf.Length));
        var signature = key.SignData(data, HashAlgorithmName.SHA256, securityPolicy.AsymmetricSignature!);
        return (new X509IdentityToken { PolicyId = policy.PolicyId, CertificateData = user.RawData },
            new SignatureData { Algorithm = securityPolicy.AsymmetricSignatureAlgorithm, Signature = signature });
    }
}
