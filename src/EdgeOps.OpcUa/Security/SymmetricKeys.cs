using System.Security.Cryptography;

namespace EdgeOps.OpcUa.Security;

/// <summary>
/// One direction's derived keys of a secure channel token (Part 6 §6.7.5): HMAC-SHA256 signing key, AES key and IV.
/// Each chunk is encrypted on its own with the same IV, so the AES object is reused without state between chunks.
/// </summary>
internal sealed class SymmetricKeys : IDisposable
{
    private readonly byte[] _signingKey;
    private readonly byte[] _iv;
    private readonly Aes _aes;

    private SymmetricKeys(byte[] signingKey, byte[] encryptionKey, byte[] iv)
    {
        _signingKey = signingKey;
        _iv = iv;
        _aes = Aes.Create();
        _aes.Key = encryptionKey;
        CryptographicOperations.ZeroMemory(encryptionKey);
    }

    /// <summary>
    /// Keys from P_SHA256(secret, seed) sliced as signing key ‖ encryption key ‖ IV. A client's sending keys use
    /// secret = server nonce and seed = client nonce; the server's the other way round.
    /// </summary>
    public static SymmetricKeys Derive(SecurityPolicy policy, ReadOnlySpan<byte> secret, ReadOnlySpan<byte> seed)
    {
        var signing = SecurityPolicy.SigningKeyLength;
        var encryption = policy.EncryptionKeyLength;
        var material = PSha256(secret, seed, signing + encryption + 16);
        try
        {
            return new SymmetricKeys(material[..signing], material[signing..(signing + encryption)], material[(signing + encryption)..]);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(material);
        }
    }

    /// <summary>P_SHA256 of RFC 5246 §5: A(0) = seed, A(i) = HMAC(secret, A(i−1)), output HMAC(secret, A(i) ‖ seed)….</summary>
    internal static byte[] PSha256(ReadOnlySpan<byte> secret, ReadOnlySpan<byte> seed, int length)
    {
        var output = new byte[length];
        var a = new byte[32 + seed.Length];
        Span<byte> block = stackalloc byte[32];
        Span<byte> next = stackalloc byte[32];
        HMACSHA256.HashData(secret, seed, a.AsSpan(0, 32));
        seed.CopyTo(a.AsSpan(32));
        for (var at = 0; at < length; at += 32)
        {
            HMACSHA256.HashData(secret, a, block);
            block[..Math.Min(32, length - at)].CopyTo(output.AsSpan(at));
            HMACSHA256.HashData(secret, a.AsSpan(0, 32), next);
            next.CopyTo(a);
        }

        CryptographicOperations.ZeroMemory(a);
        return output;
    }

    public void Sign(ReadOnlySpan<byte> data, Span<byte> signature) => HMACSHA256.HashData(_signingKey, data, signature);

    public bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        Span<byte> expected = stackalloc byte[32];
        HMACSHA256.HashData(_signingKey, data, expected);
        return CryptographicOperations.FixedTimeEquals(expected, signature);
    }

    /// <summary>AES-CBC in place, no padding (OPC UA pads the plaintext itself).</summary>
    public void Encrypt(Span<byte> data) => _aes.EncryptCbc(data, _iv, data, PaddingMode.None);

    /// <summary>AES-CBC in place, no padding.</summary>
    public void Decrypt(Span<byte> data) => _aes.DecryptCbc(data, _iv, data, PaddingMode.None);

    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(_signingKey);
        _aes.Dispose();
    }
}
