using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EdgeOps.OpcUa.Client;
using EdgeOps.OpcUa.Security;
using EdgeOps.OpcUa.Types;
using EdgeOps.TestSupport.OpcUa;

namespace EdgeOps.OpcUa.Tests.Security;

/// <summary>
/// X509 user identity tokens against node-opcua: the user's key signs the server certificate and session nonce, and
/// the server accepts the user only when the certificate is in its user PKI's trusted folder (node-opcua never accepts
/// an unknown user certificate automatically), so a refusal of the untrusted one shows the server really checked it.
/// </summary>
public sealed class X509IdentityTests
{
    [Theory]
    [InlineData(MessageSecurity.SignAndEncrypt)]
    [InlineData(MessageSecurity.Sign)]
    public async Task TrustedUserCertificate_ActivatesTheSession_AnUntrustedOneIsRejected(MessageSecurity mode)
    {
        using var trustedUser = UserCertificate("CN=operator-trusted");
        using var strangerUser = UserCertificate("CN=operator-stranger");
        await using var server = new OpcUaTestServer(new OpcUaTestServerOptions { SecurityPolicies = ["Basic256Sha256"], SecurityModes = [mode.ToString()] });
        server.TrustUserCertificate(trustedUser.RawData);
        await server.StartAsync();
        using var pki = new ClientPki();
        await pki.TrustServerAsync(server, mode);

        await using (var client = await pki.ConnectAsync(pki.Options(server, mode) with { UserCertificate = trustedUser }))
        {
            Assert.Equal(mode, client.SecurityMode);
            var ns = (ushort)client.NamespaceIndex(server.NamespaceUri);
            var value = await client.ReadValueAsync(NodeId.FromString("Plc.Setpoint", ns));
            Assert.True(value.Status.IsGood, value.Status.ToString());
        }

        var ex = await Assert.ThrowsAsync<OpcUaException>(() => pki.ConnectAsync(pki.Options(server, mode) with { UserCertificate = strangerUser }));
        Assert.True(ex.Status.Is(StatusCode.BadIdentityTokenRejected) || ex.Status.Is(StatusCode.BadUserAccessDenied), ex.Message);
    }

    private static X509Certificate2 UserCertificate(string subject)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation | X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.DataEncipherment, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
    }
}
