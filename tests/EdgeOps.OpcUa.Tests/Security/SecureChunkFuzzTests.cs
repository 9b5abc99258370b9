using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EdgeOps.OpcUa.Security;
using EdgeOps.OpcUa.Types;

namespace EdgeOps.OpcUa.Tests.Security;

/// <summary>
/// Mutated secure chunks at the production chunk size (64 KB): every altered chunk must be refused with
/// BadSecurityChecksFailed (an HMAC over the whole chunk leaves no byte unprotected), every intact one must give back
/// exactly the body that was sent, and nothing else may escape. CI runs 1,000,000 symmetric chunks;
/// EDGEOPS_FUZZ_ITERATIONS raises it for a long campaign.
/// </summary>
public sealed class SecureChunkFuzzTests
{
    private const int ChunkSize = 65536;
    private const int HeaderEnd = 16;

    private static int Iterations =>
        int.TryParse(Environment.GetEnvironmentVariable("EDGEOPS_FUZZ_ITERATIONS"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : 1_000_000;

    private static X509Certificate2 Certificate()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=fuzz", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null);
    }

    [Theory]
    [InlineData(MessageSecurity.Sign)]
    [InlineData(MessageSecurity.SignAndEncrypt)]
    public void SymmetricChunks_Mutated_AreAllRefused_IntactOnesRoundTrip(MessageSecurity mode)
    {
        using var local = Certificate();
        using var security = ChannelSecurity.Create(SecurityPolicy.Basic256Sha256, mode, local, local.RawData);
        using var keys = SymmetricKeys.Derive(SecurityPolicy.Basic256Sha256, RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(32));
        var random = new Random(14);
        var chunk = new byte[ChunkSize];
        var sent = new byte[ChunkSize];
        var maxBody = security.MaxSymmetricBody(ChunkSize, HeaderEnd);
        var iterations = Iterations / 2; // the two modes share the budget
        for (var i = 0; i < iterations; i++)
        {
            // Mostly small chunks (as Publish responses are), now and then a full one.
            var bodyLength = i % 1000 == 0 ? maxBody : random.Next(0, 600);
            "MSGF"u8.CopyTo(chunk);
            BinaryPrimitives.WriteUInt32LittleEndian(chunk.AsSpan(8), 7);
            BinaryPrimitives.WriteUInt32LittleEndian(chunk.AsSpan(12), 1);
            random.NextBytes(chunk.AsSpan(HeaderEnd, 8 + bodyLength));
            chunk.AsSpan(HeaderEnd, 8 + bodyLength).CopyTo(sent);
            var size = security.ProtectSymmetric(chunk, HeaderEnd, HeaderEnd + 8 + bodyLength, keys);
            Assert.True(size <= ChunkSize);

            var original = chunk.AsSpan(0, size).ToArray();
            var mutations = i % 3; // a third intact, the rest with one or two flipped, set or truncated bytes
            var truncated = false;
            for (var m = 0; m < mutations; m++)
            {
                var at = random.Next(HeaderEnd, size);
                switch (random.Next(3))
                {
                    case 0:
                        chunk[at] ^= (byte)(1 << random.Next(8));
                        break;
                    case 1:
                        chunk[at] = (byte)(chunk[at] + 1 + random.Next(255));
                        break;
                    default:
                        size = Math.Max(HeaderEnd, size - 1 - random.Next(Math.Min(64, size - HeaderEnd)));
                        truncated = true;
                        break;
                }
            }

            // Two mutations can undo each other: what counts is whether the bytes differ from what was sent.
            var altered = size != original.Length || !chunk.AsSpan(0, size).SequenceEqual(original);
            mutations = altered ? Math.Max(mutations, 1) : 0;
            try
            {
                var bodyEnd = security.UnprotectSymmetric(chunk.AsSpan(0, size), HeaderEnd, keys);
                Assert.True(mutations == 0, $"iteration {i}: an altered chunk ({mutations} mutations, truncated {truncated}) was accepted");
                Assert.True(chunk.AsSpan(HeaderEnd, bodyEnd - HeaderEnd).SequenceEqual(sent.AsSpan(0, 8 + bodyLength)), $"iteration {i}: body differs");
            }
            catch (OpcUaException ex) when (ex.Status.Is(StatusCode.BadSecurityChecksFailed))
            {
                Assert.True(mutations > 0, $"iteration {i}: an intact chunk was refused: {ex.Message}");
            }
        }
    }

    [Fact]
    public void AsymmetricChunks_Mutated_AreAllRefused()
    {
        // RSA costs milliseconds: a few hundred chunks, each decrypted and verified as an OPN response would be.
        using var local = Certificate();
        using var security = ChannelSecurity.Create(SecurityPolicy.Aes256Sha256RsaPss, MessageSecurity.SignAndEncrypt, local, local.RawData);
        var random = new Random(6);
        var header = security.AsymmetricHeader.ToArray();
        var headerEnd = 12 + header.Length;
        var thumbprint = SHA1.HashData(local.RawData);
        var chunk = new byte[ChunkSize];
        for (var i = 0; i < 300; i++)
        {
            "OPNF"u8.CopyTo(chunk);
            header.CopyTo(chunk, 12);
            var bodyLength = random.Next(20, 400);
            random.NextBytes(chunk.AsSpan(headerEnd, 8 + bodyLength));
            var size = security.ProtectAsymmetric(chunk, headerEnd, headerEnd + 8 + bodyLength);
            var mutated = i % 2 == 1;
            if (mutated)
            {
                chunk[random.Next(headerEnd, size)] ^= (byte)(1 << random.Next(8));
            }

            try
            {
                var (_, bodyEnd) = security.UnprotectAsymmetric(chunk.AsSpan(0, size), headerEnd, SecurityPolicy.Aes256Sha256RsaPss.Uri, local.RawData, thumbprint);
                Assert.False(mutated, $"iteration {i}: an altered OPN chunk was accepted");
                Assert.Equal(headerEnd + 8 + bodyLength, bodyEnd);
            }
            catch (OpcUaException ex) when (ex.Status.Is(StatusCode.BadSecurityChecksFailed))
            {
                Assert.True(mutated, $"iteration {i}: an intact OPN chunk was refused: {ex.Message}");
            }
        }
    }
}
