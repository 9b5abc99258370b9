using System.Security.Cryptography;
using System.Text;
using EdgeOps.Gateway.Hosting;
using EdgeOps.TestSupport;

namespace EdgeOps.Gateway.Tests.Hosting;

/// <summary>
/// The managed SHA-256 behind the contract's <c>configHash</c> gives the platform's (OpenSSL's) bytes: the gateway
/// stopped loading OpenSSL at start for it, and no published hash may change with that.
/// </summary>
public sealed class ConfigFingerprintTests
{
    [Fact]
    public void Sha256_FipsExample_IsTheStandardsDigest()
    {
        // FIPS 180-4 example "abc" (one block) and the two-block example of 448 bits.
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
            Convert.ToHexStringLower(ConfigFingerprint.Sha256("abc"u8)));
        Assert.Equal("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
            Convert.ToHexStringLower(ConfigFingerprint.Sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"u8)));
    }

    [Fact]
    public void Sha256_EveryLengthAroundTheBlockAndPaddingEdges_MatchesThePlatform()
    {
        // 0..300 bytes covers an empty message, the 55/56/63/64-byte padding edges of one and several blocks.
        var random = new Random(19);
        for (var length = 0; length <= 300; length++)
        {
            var data = new byte[length];
            random.NextBytes(data);
            Assert.True(SHA256.HashData(data).AsSpan().SequenceEqual(ConfigFingerprint.Sha256(data)), $"length {length}");
        }

        var large = new byte[1_000_003];
        random.NextBytes(large);
        Assert.Equal(SHA256.HashData(large), ConfigFingerprint.Sha256(large));
    }

    [Theory]
    [InlineData("demo-line.yaml")]
    [InlineData("gpio-retrofit.yaml")]
    [InlineData("opcua-press.yaml")]
    public void Of_ShippedLineFile_IsThePlatformsSha256Prefix(string file)
    {
        var text = File.ReadAllText(RepoPaths.File("firmware-config", "lines", file));
        var expected = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..12];

        Assert.Equal(expected, ConfigFingerprint.Of(text));
    }

    [Fact]
    public void Of_NonAsciiText_HashesItsUtf8Bytes()
    {
        const string text = "line: Presswerk Süd – Linie 1 ✓\n";

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..12], ConfigFingerprint.Of(text));
    }
}
