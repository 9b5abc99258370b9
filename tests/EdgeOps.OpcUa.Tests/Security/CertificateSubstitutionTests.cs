using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EdgeOps.OpcUa.Client;
using EdgeOps.OpcUa.Security;
using EdgeOps.OpcUa.Types;
using EdgeOps.TestSupport.OpcUa;
using static EdgeOps.OpcUa.Tests.Client.ClientTestHelpers;

namespace EdgeOps.OpcUa.Tests.Security;

/// <summary>
/// Part 4 §5.6.2: the certificate a server shows in GetEndpoints must be the one it answers CreateSession with. A man
/// in the middle on the unsecured discovery channel swaps the certificate in the GetEndpoints response for his own (so
/// that the password would be encrypted for him); the real server's CreateSession then carries another certificate, and
/// the client must refuse the session before it sends any identity.
/// </summary>
public sealed class CertificateSubstitutionTests : IAsyncLifetime
{
    private readonly OpcUaTestServer _server = new();

    public Task InitializeAsync() => _server.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task GetEndpointsCertificateSwappedByAProxy_SessionIsRefusedNamingBothThumbprints_AndNoSessionIsLeftOpen()
    {
        var endpoints = await OpcUaDiscovery.GetEndpointsAsync(_server.EndpointUrl, TimeSpan.FromSeconds(30));
        var real = Assert.Single(endpoints.Select(e => e.ServerCertificate).OfType<byte[]>().Select(Convert.ToHexString).Distinct());
        var realDer = Convert.FromHexString(real);
        using var attackerKey = RSA.Create(2048);
        var request = new CertificateRequest("CN=attacker", attackerKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddUri(new Uri(endpoints[0].ApplicationUri!));
        request.CertificateExtensions.Add(san.Build());
        using var attacker = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var attackerDer = attacker.RawData;

        await using var proxy = new TamperingProxy(_server.Port);

        // The certificate travels as a ByteString: its length prefix is part of what is swapped.
        proxy.SubstituteNext(WithLength(realDer), WithLength(attackerDer));
        var ex = await Assert.ThrowsAsync<OpcUaException>(() => ConnectAsync(_server, "alice", "secret",
            o => o with { EndpointUrl = proxy.EndpointUrl(_server.EndpointUrl), SecurityMode = MessageSecurity.None }));

        Assert.Equal(1, proxy.Substituted);
        Assert.True(ex.Status.Is(StatusCode.BadCertificateInvalid), ex.ToString());
        Assert.Contains("different certificate in CreateSession", ex.Message, StringComparison.Ordinal);
        Assert.Contains(Convert.ToHexString(SHA1.HashData(realDer)), ex.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(Convert.ToHexString(SHA1.HashData(attackerDer)), ex.Message, StringComparison.OrdinalIgnoreCase);

        // The refused session was closed: a fresh client is the only session on the server.
        await using var check = await ConnectAsync(_server);
        await Eventually(async () =>
        {
            var sessions = await check.ReadValueAsync(NodeId.FromString("Server.SessionCount", (ushort)check.NamespaceIndex(_server.NamespaceUri)));
            return (uint)sessions.Value.Value! == 1u;
        });

        // Without the swap, the same path through the proxy connects: the refusal was the swap's doing.
        await using var honest = await ConnectAsync(_server, "alice", "secret",
            o => o with { EndpointUrl = proxy.EndpointUrl(_server.EndpointUrl), SecurityMode = MessageSecurity.None });
        Assert.Equal(ConnectionState.Connected, honest.State);
    }

    private static byte[] WithLength(byte[] der)
    {
        var result = new byte[4 + der.Length];
        BinaryPrimitives.WriteInt32LittleEndian(result, der.Length);
        der.CopyTo(result, 4);
        return result;
    }

    private static async Task Eventually(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the server still counts the refused session");
            await Task.Delay(200);
        }
    }
}
