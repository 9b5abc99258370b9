using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EdgeOps.OpcUa.Encoding;
using EdgeOps.OpcUa.Services;
using EdgeOps.OpcUa.Types;

namespace EdgeOps.OpcUa.Client;

/// <summary>Builds the identity token of ActivateSession (Part 4 §7.36), encrypting the password when the policy asks.</summary>
internal static class UserIdentity
{
    public static IUaStructure Build(OpcUaClientOptions options, EndpointDescription endpoint, byte[]? serverCertificate, byte[]? serverNonce)
    {
        if (options.UserName is null)
        {
            var anonymous = endpoint.UserIdentityTokens.FirstOrDefault(t => t.TokenType == UserTokenType.Anonymous)
                ?? throw new OpcUaException(StatusCode.BadIdentityTokenRejected, $"Endpoint {endpoint.EndpointUrl} does not allow anonymous access; configure a user name.");
            return new AnonymousIdentityToken { PolicyId = anonymous.PolicyId };
        }

        var policy = endpoint.UserIdentityTokens.FirstOrDefault(t => t.TokenType == UserTokenType.UserName)
            ?? throw new OpcUaException(StatusCode.BadIdentityTokenRejected, $"Endpoint {endpoint.EndpointUrl} does not accept user names.");
        var securityPolicy = string.IsNullOrEmpty(policy.SecurityPolicyUri) ? endpoint.SecurityPolicyUri : policy.SecurityPolicyUri;
        var password = System.Text.Encoding.UTF8.GetBytes(options.Password ?? string.Empty);
        if (string.IsNullOrEmpty(securityPolicy) || securityPolicy == Transport.UaTcpChannel.SecurityPolicyNone)
        {
            return new UserNameIdentityToken { PolicyId = policy.PolicyId, UserName = options.UserName, Password = password };
        }

        if (serverCertificate is null || serverCertificate.Length == 0)
        {
            throw new OpcUaException(StatusCode.BadSecurityChecksFailed, "The server sent no certificate to encrypt the password with.");
        }

        var (padding, algorithm) = securityPolicy switch
        {
            _ when securityPolicy.EndsWith("#Basic128Rsa15", StringComparison.Ordinal) => (RSAEncryptionPadding.Pkcs1, "http://www.w3.org/2001/04/xmlenc#rsa-1_5"),
            _ when securityPolicy.EndsWith("#Aes256_Sha256_RsaPss", StringComparison.Ordinal) => (RSAEncryptionPadding.OaepSHA256, "http://opcfoundation.org/UA/security/rsa-oaep-sha2-256"),
            _ => (RSAEncryptionPadding.OaepSHA1, "http://www.w3.org/2001/04/xmlenc#rsa-oaep"),
        };
        var nonce = serverNonce ?? [];
        var plain = new byte[4 + password.Length + nonce.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(plain, (uint)(password.Length + nonce.Length));
        password.CopyTo(plain, 4);
        nonce.CopyTo(plain, 4 + password.Length);

        using var certificate = X509CertificateLoader.LoadCertificate(FirstCertificate(serverCertificate));
        using var rsa = certificate.GetRSAPublicKey()
            ?? throw new OpcUaException(StatusCode.BadSecurityChecksFailed, "The server certificate has no RSA key.");
        var keyBytes = rsa.KeySize / 8;
        var block = padding == RSAEncryptionPadding.Pkcs1 ? keyBytes - 11 : padding == RSAEncryptionPadding.OaepSHA1 ? keyBytes - 42 : keyBytes - 66;
        using var output = new MemoryStream();
        for (var at = 0; at < plain.Length; at += block)
        {
            output.Write(rsa.Encrypt(plain.AsSpan(at, Math.Min(block, plain.Length - at)).ToArray(), padding));
        }

        CryptographicOperations.ZeroMemory(plain);
        return new UserNameIdentityToken { PolicyId = policy.PolicyId, UserName = options.UserName, Password = output.ToArray(), EncryptionAlgorithm = algorithm };
    }

    /// <summary>ServerCertificate may be a chain of DER certificates back to back; the first is the server's.</summary>
    private static byte[] FirstCertificate(byte[] der)
    {
        if (der.Length > 4 && der[0] == 0x30)
        {
            int length;
            int header;
            if (der[1] < 0x80)
            {
                (length, header) = (der[1], 2);
            }
            else
            {
                var n = der[1] & 0x7F;
                if (n is < 1 or > 3 || der.Length < 2 + n)
                {
                    return der;
                }

                length = 0;
                for (var i = 0; i < n; i++)
                {
                    length = (length << 8) | der[2 + i];
                }

                header = 2 + n;
            }

            if (header + length < der.Length)
            {
                return der[..(header + length)];
            }
        }

        return der;
    }
}
