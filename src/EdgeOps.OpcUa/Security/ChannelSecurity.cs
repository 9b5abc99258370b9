using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EdgeOps.OpcUa.Encoding;
using EdgeOps.OpcUa.Types;

namespace EdgeOps.OpcUa.Security;

/// <summary>
/// The cryptography of one secure channel (Part 6 §6.7): the asymmetric protection of OpenSecureChannel chunks (our
/// signature, the server's public key for encryption) and the symmetric protection of every other chunk with the keys
/// derived for the current token. Chunk layout: message header (8) ‖ security header ‖ sequence header (8) ‖ body ‖
/// [padding] ‖ signature; what follows the security header is encrypted when encryption applies.
/// </summary>
internal sealed class ChannelSecurity : IDisposable
{
    private const int SequenceHeaderSize = 8;
    private readonly RSA? _localKey;
    private readonly RSA? _remoteKey;
    private readonly byte[] _asymmetricHeader;

    private ChannelSecurity(SecurityPolicy policy, MessageSecurity mode, X509Certificate2? local, byte[]? remoteLeaf)
    {
        Policy = policy;
        Mode = mode;
        var w = new UaBinaryWriter(2048);
        w.WriteString(policy.Uri);
        if (mode == MessageSecurity.None)
        {
            w.WriteByteString(null); // sender certificate
            w.WriteByteString(null); // receiver thumbprint: null, never empty (an S7-1500 rejects an empty one)
        }
        else
        {
            LocalCertificate = local ?? throw new ArgumentNullException(nameof(local));
            RemoteCertificate = remoteLeaf ?? throw new ArgumentNullException(nameof(remoteLeaf));
            _localKey = local.GetRSAPrivateKey() ?? throw new OpcUaException(StatusCode.BadCertificateInvalid, "The application certificate has no RSA private key.");
            using var remote = X509CertificateLoader.LoadCertificate(remoteLeaf);
            _remoteKey = remote.GetRSAPublicKey() ?? throw new OpcUaException(StatusCode.BadCertificateInvalid, "The server certificate has no RSA key.");
            LocalKeyBytes = _localKey.KeySize / 8;
            RemoteKeyBytes = _remoteKey.KeySize / 8;
            w.WriteByteString(local.RawData);
            w.WriteByteString(SHA1.HashData(remoteLeaf)); // Part 6 §6.7.2.3: the SHA-1 thumbprint of the receiver's certificate
        }

        _asymmetricHeader = w.ToArray();
    }

    public SecurityPolicy Policy { get; }

    public MessageSecurity Mode { get; }

    public bool Encrypts => Mode == MessageSecurity.SignAndEncrypt;

    public bool Signs => Mode != MessageSecurity.None;

    public X509Certificate2? LocalCertificate { get; }

    /// <summary>The server's certificate (DER of the leaf).</summary>
    public byte[]? RemoteCertificate { get; }

    private int LocalKeyBytes { get; }

    private int RemoteKeyBytes { get; }

    /// <summary>The asymmetric security header of OPN chunks (policy URI, our certificate, the server's thumbprint).</summary>
    public ReadOnlySpan<byte> AsymmetricHeader => _asymmetricHeader;

    public static ChannelSecurity None() => new(SecurityPolicy.None, MessageSecurity.None, null, null);

    public static ChannelSecurity Create(SecurityPolicy policy, MessageSecurity mode, X509Certificate2 local, byte[] remoteLeaf) =>
        mode == MessageSecurity.None || policy == SecurityPolicy.None ? None() : new(policy, mode, local, remoteLeaf);

    // ---------------------------------------------------------------- symmetric (MSG, CLO)

    /// <summary>The largest body that fits one symmetric chunk whose security header ends at <paramref name="headerEnd"/>.</summary>
    public int MaxSymmetricBody(int chunkSize, int headerEnd)
    {
        var available = chunkSize - headerEnd;
        return Mode switch
        {
            MessageSecurity.None => available - SequenceHeaderSize,
            MessageSecurity.Sign => available - SequenceHeaderSize - SecurityPolicy.SymmetricSignatureLength,
            _ => available / 16 * 16 - SequenceHeaderSize - SecurityPolicy.SymmetricSignatureLength - 1,
        };
    }

    /// <summary>
    /// Pads, signs and encrypts a symmetric chunk in place: <paramref name="chunk"/> holds headers, sequence header and
    /// body up to <paramref name="plainEnd"/>; returns the chunk's final size (also written into its header).
    /// </summary>
    public int ProtectSymmetric(Span<byte> chunk, int headerEnd, int plainEnd, SymmetricKeys? keys)
    {
        if (Mode == MessageSecurity.None || keys is null)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(chunk[4..], (uint)plainEnd);
            return plainEnd;
        }

        var end = plainEnd;
        if (Encrypts)
        {
            // PaddingSize byte + that many bytes of the same value, so that the encrypted part fills whole AES blocks.
            var length = plainEnd - headerEnd + 1 + SecurityPolicy.SymmetricSignatureLength;
            var padding = (16 - length % 16) % 16;
            chunk.Slice(end, padding + 1).Fill((byte)padding);
            end += padding + 1;
        }

        var size = end + SecurityPolicy.SymmetricSignatureLength;
        BinaryPrimitives.WriteUInt32LittleEndian(chunk[4..], (uint)size);
        keys.Sign(chunk[..end], chunk.Slice(end, SecurityPolicy.SymmetricSignatureLength));
        if (Encrypts)
        {
            keys.Encrypt(chunk[headerEnd..size]);
        }

        return size;
    }

    /// <summary>
    /// Decrypts a received symmetric chunk in place and verifies its signature; returns where the body ends (padding
    /// and signature excluded). A chunk that fails is never parsed: the channel closes with the reason.
    /// </summary>
    public int UnprotectSymmetric(Span<byte> chunk, int headerEnd, SymmetricKeys? keys)
    {
        if (Mode == MessageSecurity.None)
        {
            return chunk.Length;
        }

        if (keys is null)
        {
            throw new OpcUaException(StatusCode.BadSecureChannelTokenUnknown, "A secured chunk arrived for a token without keys.");
        }

        var signatureLength = SecurityPolicy.SymmetricSignatureLength;
        if (Encrypts)
        {
            if ((chunk.Length - headerEnd) % 16 != 0 || chunk.Length - headerEnd < SequenceHeaderSize + signatureLength + 1)
            {
                throw SecurityFailure($"encrypted chunk of {chunk.Length} bytes is not whole AES blocks");
            }

            keys.Decrypt(chunk[headerEnd..]);
        }
        else if (chunk.Length - headerEnd < SequenceHeaderSize + signatureLength)
        {
            throw SecurityFailure($"signed chunk of {chunk.Length} bytes is too short for its signature");
        }

        var signatureAt = chunk.Length - signatureLength;
        if (!keys.Verify(chunk[..signatureAt], chunk[signatureAt..]))
        {
            throw SecurityFailure("the chunk's signature does not verify (altered on the way, or not from the server)");
        }

        if (!Encrypts)
        {
            return signatureAt;
        }

        var padding = chunk[signatureAt - 1];
        var bodyEnd = signatureAt - 1 - padding;
        if (bodyEnd < headerEnd + SequenceHeaderSize || chunk[bodyEnd..(signatureAt - 1)].ContainsAnyExcept(padding))
        {
            throw SecurityFailure("the chunk's padding is invalid");
        }

        return bodyEnd;
    }

    // ---------------------------------------------------------------- asymmetric (OPN)

    private bool ExtraPadding => RemoteKeyBytes > 256;

    private int PlainBlock => RemoteKeyBytes - Policy.AsymmetricPaddingOverhead;

    /// <summary>The largest body that fits one OPN chunk whose security header ends at <paramref name="headerEnd"/>.</summary>
    public int MaxAsymmetricBody(int chunkSize, int headerEnd)
    {
        if (Mode == MessageSecurity.None)
        {
            return chunkSize - headerEnd - SequenceHeaderSize;
        }

        var blocks = (chunkSize - headerEnd) / RemoteKeyBytes;
        return blocks * PlainBlock - SequenceHeaderSize - LocalKeyBytes - 1 - (ExtraPadding ? 1 : 0);
    }

    /// <summary>
    /// Pads, signs with our private key and encrypts with the server's public key an OPN chunk; OPN chunks are signed
    /// and encrypted whenever the mode is not None, even in Sign mode (Part 6 §6.7.2.1). Returns the final size.
    /// </summary>
    public int ProtectAsymmetric(Span<byte> chunk, int headerEnd, int plainEnd)
    {
        if (Mode == MessageSecurity.None)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(chunk[4..], (uint)plainEnd);
            return plainEnd;
        }

        var plainBlock = PlainBlock;
        var extra = ExtraPadding ? 1 : 0;
        var length = plainEnd - headerEnd + 1 + extra + LocalKeyBytes;
        var padding = (plainBlock - length % plainBlock) % plainBlock;
        var end = plainEnd;
        chunk.Slice(end, padding + 1).Fill((byte)padding);
        end += padding + 1;
        if (extra == 1)
        {
            chunk[end++] = (byte)(padding >> 8); // ExtraPaddingSize: the high byte of the padding size
        }

        var plainLength = end - headerEnd + LocalKeyBytes;
        var blocks = plainLength / plainBlock;
        var size = headerEnd + blocks * RemoteKeyBytes;
        BinaryPrimitives.WriteUInt32LittleEndian(chunk[4..], (uint)size);
        if (!_localKey!.TrySignData(chunk[..end], chunk.Slice(end, LocalKeyBytes), HashAlgorithmName.SHA256, Policy.AsymmetricSignature!, out _))
        {
            throw new OpcUaException(StatusCode.BadSecurityChecksFailed, "Signing the OpenSecureChannel request failed.");
        }

        // Ciphertext blocks are larger than plaintext blocks: encrypt from a copy.
        var plain = chunk.Slice(headerEnd, plainLength).ToArray();
        for (var i = 0; i < blocks; i++)
        {
            if (!_remoteKey!.TryEncrypt(plain.AsSpan(i * plainBlock, plainBlock), chunk.Slice(headerEnd + i * RemoteKeyBytes, RemoteKeyBytes),
                    Policy.AsymmetricEncryption!, out var written) || written != RemoteKeyBytes)
            {
                throw new OpcUaException(StatusCode.BadSecurityChecksFailed, "Encrypting the OpenSecureChannel request failed.");
            }
        }

        CryptographicOperations.ZeroMemory(plain);
        return size;
    }

    /// <summary>
    /// Checks the security header of a received OPN chunk (the server's certificate, our thumbprint), decrypts it with
    /// our private key in place and verifies the server's signature; returns the chunk's new length and where the body ends.
    /// </summary>
    public (int Length, int BodyEnd) UnprotectAsymmetric(Span<byte> chunk, int headerEnd, string? policyUri, ReadOnlySpan<byte> senderCertificate,
        ReadOnlySpan<byte> receiverThumbprint)
    {
        if (!string.Equals(policyUri, Policy.Uri, StringComparison.Ordinal))
        {
            throw new OpcUaException(StatusCode.BadSecurityPolicyRejected, $"The server answered with security policy '{policyUri}', not {Policy.Uri}.");
        }

        if (Mode == MessageSecurity.None)
        {
            return (chunk.Length, chunk.Length);
        }

        if (!CertificateFiles.FirstCertificate(senderCertificate).SequenceEqual(RemoteCertificate))
        {
            throw SecurityFailure("the OpenSecureChannel response carries a different certificate than the server's endpoint");
        }

        if (!receiverThumbprint.SequenceEqual(SHA1.HashData(LocalCertificate!.RawData)))
        {
            throw SecurityFailure("the OpenSecureChannel response is not addressed to our certificate");
        }

        var encrypted = chunk.Length - headerEnd;
        if (encrypted <= 0 || encrypted % LocalKeyBytes != 0)
        {
            throw SecurityFailure($"the OpenSecureChannel response's encrypted part ({encrypted} bytes) is not whole RSA blocks");
        }

        var plain = new byte[encrypted];
        var plainLength = 0;
        for (var at = 0; at < encrypted; at += LocalKeyBytes)
        {
            int written;
            try
            {
                if (!_localKey!.TryDecrypt(chunk.Slice(headerEnd + at, LocalKeyBytes), plain.AsSpan(plainLength), Policy.AsymmetricEncryption!, out written))
                {
                    throw SecurityFailure("the OpenSecureChannel response does not decrypt with our private key");
                }
            }
            catch (CryptographicException ex)
            {
                // OAEP padding that does not check out: altered on the way, or not encrypted for us.
                throw new OpcUaException(StatusCode.BadSecurityChecksFailed,
                    $"Security check failed: the OpenSecureChannel response does not decrypt with our private key ({ex.Message}). The secure channel is closed.", ex);
            }

            plainLength += written;
        }

        plain.AsSpan(0, plainLength).CopyTo(chunk[headerEnd..]);
        CryptographicOperations.ZeroMemory(plain);
        var length = headerEnd + plainLength;
        var signatureAt = length - RemoteKeyBytes;
        if (signatureAt < headerEnd + SequenceHeaderSize + 1
            || !_remoteKey!.VerifyData(chunk[..signatureAt], chunk[signatureAt..length], HashAlgorithmName.SHA256, Policy.AsymmetricSignature!))
        {
            throw SecurityFailure("the OpenSecureChannel response's signature does not verify with the server certificate");
        }

        // The padding was sized for our key: the extra padding byte exists when our key is over 2048 bits.
        var at2 = signatureAt - 1;
        var padding = 0;
        if (LocalKeyBytes > 256)
        {
            padding = chunk[at2--] << 8;
        }

        var low = chunk[at2];
        padding |= low;
        var bodyEnd = at2 - padding;
        if (bodyEnd < headerEnd + SequenceHeaderSize || chunk[bodyEnd..at2].ContainsAnyExcept(low))
        {
            throw SecurityFailure("the OpenSecureChannel response's padding is invalid");
        }

        return (length, bodyEnd);
    }

    // ---------------------------------------------------------------- session signatures (Part 4 §5.6.2, §5.6.3)

    /// <summary>Signs certificate ‖ nonce with our key (the ClientSignature of ActivateSession).</summary>
    public byte[] SignSession(ReadOnlySpan<byte> certificate, ReadOnlySpan<byte> nonce)
    {
        var data = Concat(certificate, nonce);
        return _localKey!.SignData(data, HashAlgorithmName.SHA256, Policy.AsymmetricSignature!);
    }

    /// <summary>Verifies the server's signature over certificate ‖ nonce (the ServerSignature of CreateSession).</summary>
    public bool VerifySession(ReadOnlySpan<byte> certificate, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> signature) =>
        _remoteKey!.VerifyData(Concat(certificate, nonce), signature, HashAlgorithmName.SHA256, Policy.AsymmetricSignature!);

    private static byte[] Concat(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        var data = new byte[a.Length + b.Length];
        a.CopyTo(data);
        b.CopyTo(data.AsSpan(a.Length));
        return data;
    }

    private static OpcUaException SecurityFailure(string reason) =>
        new(StatusCode.BadSecurityChecksFailed, $"Security check failed: {reason}. The secure channel is closed.");

    public void Dispose()
    {
        _localKey?.Dispose();
        _remoteKey?.Dispose();
    }
}
