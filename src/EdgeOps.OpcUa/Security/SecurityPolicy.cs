using System.Security.Cryptography;

namespace EdgeOps.OpcUa.Security;

/// <summary>How messages on the secure channel are protected (Part 4 §7.20).</summary>
public enum MessageSecurity
{
    /// <summary>Neither signed nor encrypted.</summary>
    None = 1,

    /// <summary>Every chunk signed (HMAC-SHA256), readable on the wire.</summary>
    Sign = 2,

    /// <summary>Every chunk signed and AES-CBC encrypted.</summary>
    SignAndEncrypt = 3,
}

/// <summary>
/// One OPC UA security policy with the algorithms and lengths of its Part 7 profile. The supported policies are
/// <see cref="None"/>, <see cref="Basic256Sha256"/>, <see cref="Aes128Sha256RsaOaep"/> and
/// <see cref="Aes256Sha256RsaPss"/>; <see cref="Basic128Rsa15"/> is known only to encrypt a password for an old server
/// and only when explicitly allowed (it is deprecated: SHA-1 and PKCS#1 v1.5 encryption).
/// </summary>
public sealed class SecurityPolicy
{
    private const string Prefix = "http://opcfoundation.org/UA/SecurityPolicy#";

    private SecurityPolicy(string name, int rank, int encryptionKeyLength, RSAEncryptionPadding? encryption, RSASignaturePadding? signature,
        string? encryptionAlgorithm, string? signatureAlgorithm, int minKeyBits, int maxKeyBits)
    {
        Name = name;
        Uri = Prefix + name;
        Rank = rank;
        EncryptionKeyLength = encryptionKeyLength;
        AsymmetricEncryption = encryption;
        AsymmetricSignature = signature;
        AsymmetricEncryptionAlgorithm = encryptionAlgorithm;
        AsymmetricSignatureAlgorithm = signatureAlgorithm;
        MinAsymmetricKeyBits = minKeyBits;
        MaxAsymmetricKeyBits = maxKeyBits;
    }

    /// <summary>No security: only for servers that offer nothing else.</summary>
    public static SecurityPolicy None { get; } = new("None", 0, 0, null, null, null, null, 0, int.MaxValue);

    /// <summary>Deprecated; known only so a password can be encrypted for it when explicitly allowed.</summary>
    public static SecurityPolicy Basic128Rsa15 { get; } = new("Basic128Rsa15", -1, 16, RSAEncryptionPadding.Pkcs1, null,
        "http://www.w3.org/2001/04/xmlenc#rsa-1_5", "http://www.w3.org/2000/09/xmldsig#rsa-sha1", 1024, 2048);

    /// <summary>AES-256-CBC, HMAC-SHA256, RSA-OAEP (SHA-1) and RSA-PKCS#1 v1.5 SHA-256 signatures.</summary>
    public static SecurityPolicy Basic256Sha256 { get; } = new("Basic256Sha256", 2, 32, RSAEncryptionPadding.OaepSHA1, RSASignaturePadding.Pkcs1,
        "http://www.w3.org/2001/04/xmlenc#rsa-oaep", "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256", 2048, 4096);

    /// <summary>AES-128-CBC, HMAC-SHA256, RSA-OAEP (SHA-1) and RSA-PKCS#1 v1.5 SHA-256 signatures.</summary>
    public static SecurityPolicy Aes128Sha256RsaOaep { get; } = new("Aes128_Sha256_RsaOaep", 1, 16, RSAEncryptionPadding.OaepSHA1, RSASignaturePadding.Pkcs1,
        "http://www.w3.org/2001/04/xmlenc#rsa-oaep", "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256", 2048, 4096);

    /// <summary>AES-256-CBC, HMAC-SHA256, RSA-OAEP-SHA256 and RSA-PSS SHA-256 signatures: the strongest.</summary>
    public static SecurityPolicy Aes256Sha256RsaPss { get; } = new("Aes256_Sha256_RsaPss", 3, 32, RSAEncryptionPadding.OaepSHA256, RSASignaturePadding.Pss,
        "http://opcfoundation.org/UA/security/rsa-oaep-sha2-256", "http://opcfoundation.org/UA/security/rsa-pss-sha2-256", 2048, 4096);

    /// <summary>The policies a secure channel can use, strongest first.</summary>
    public static IReadOnlyList<SecurityPolicy> Supported { get; } = [Aes256Sha256RsaPss, Basic256Sha256, Aes128Sha256RsaOaep, None];

    /// <summary>Short name, e.g. <c>Basic256Sha256</c>.</summary>
    public string Name { get; }

    /// <summary>The policy URI, e.g. <c>http://opcfoundation.org/UA/SecurityPolicy#Basic256Sha256</c>.</summary>
    public string Uri { get; }

    /// <summary>Preference when the server offers several (higher is stronger).</summary>
    internal int Rank { get; }

    /// <summary>Derived AES key length in bytes (0 for None).</summary>
    internal int EncryptionKeyLength { get; }

    /// <summary>Derived HMAC-SHA256 key length in bytes.</summary>
    internal static int SigningKeyLength => 32;

    /// <summary>HMAC-SHA256 output length.</summary>
    internal static int SymmetricSignatureLength => 32;

    /// <summary>Secure channel nonce length in bytes (32 for every supported policy).</summary>
    internal static int NonceLength => 32;

    internal RSAEncryptionPadding? AsymmetricEncryption { get; }

    internal RSASignaturePadding? AsymmetricSignature { get; }

    /// <summary>URI of the asymmetric encryption algorithm (user token EncryptionAlgorithm).</summary>
    public string? AsymmetricEncryptionAlgorithm { get; }

    /// <summary>URI of the asymmetric signature algorithm (session SignatureData).</summary>
    public string? AsymmetricSignatureAlgorithm { get; }

    /// <summary>Shortest RSA key in bits the policy allows.</summary>
    public int MinAsymmetricKeyBits { get; }

    /// <summary>Longest RSA key in bits the policy allows.</summary>
    public int MaxAsymmetricKeyBits { get; }

    /// <summary>Bytes OAEP/PKCS#1 padding takes from each RSA block.</summary>
    internal int AsymmetricPaddingOverhead =>
        AsymmetricEncryption == RSAEncryptionPadding.OaepSHA256 ? 66 : AsymmetricEncryption == RSAEncryptionPadding.OaepSHA1 ? 42 : 11;

    /// <summary>The policy with this URI or short name (case-insensitive), or null when we do not know it.</summary>
    public static SecurityPolicy? Find(string? uriOrName)
    {
        if (string.IsNullOrEmpty(uriOrName))
        {
            return null;
        }

        var name = uriOrName.StartsWith(Prefix, StringComparison.Ordinal) ? uriOrName[Prefix.Length..] : uriOrName;
        foreach (var policy in (SecurityPolicy[])[None, Basic256Sha256, Aes128Sha256RsaOaep, Aes256Sha256RsaPss, Basic128Rsa15])
        {
            if (string.Equals(policy.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return policy;
            }
        }

        return null;
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}
