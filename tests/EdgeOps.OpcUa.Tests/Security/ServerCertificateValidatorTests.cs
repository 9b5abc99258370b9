using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EdgeOps.OpcUa.Security;
using EdgeOps.OpcUa.Types;

namespace EdgeOps.OpcUa.Tests.Security;

/// <summary>The trust decision on certificates made here with CertificateRequest: every refusal names its reason.</summary>
public sealed class ServerCertificateValidatorTests : IDisposable
{
    private const string Url = "opc.tcp://plc1.example:4840";
    private const string AppUri = "urn:plc1:server";
    private readonly string _root = Path.Combine(Path.GetTempPath(), "edgeops-validator-" + Guid.NewGuid().ToString("N"));
    private readonly PkiStore _store;
    private readonly ServerCertificateValidator _validator;

    public ServerCertificateValidatorTests()
    {
        _store = new PkiStore(_root);
        _store.EnsureLayout();
        _validator = new ServerCertificateValidator(_store, TimeProvider.System);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static X509Certificate2 SelfSigned(string uri = AppUri, string host = "plc1.example", int keyBits = 2048, DateTimeOffset? notAfter = null,
        X509KeyUsageFlags usage = X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment)
    {
        using var rsa = RSA.Create(keyBits);
        var request = Request("CN=plc1", rsa, uri, host, usage);
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddDays(-10), notAfter ?? now.AddDays(365));
    }

    private static CertificateRequest Request(string subject, RSA rsa, string uri, string host, X509KeyUsageFlags usage)
    {
        var request = new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddUri(new Uri(uri));
        san.AddDnsName(host);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, true));
        return request;
    }

    private OpcUaException Refused(X509Certificate2 certificate, string? pin = null) =>
        Assert.Throws<OpcUaException>(() => _validator.Validate(certificate.RawData, Url, AppUri, SecurityPolicy.Basic256Sha256, pin, checkHostName: true));

    [Fact]
    public void Untrusted_IsRefused_SavedToRejected_AndTheMessageNamesTheTrustVerb()
    {
        using var certificate = SelfSigned();
        var ex = Refused(certificate);
        Assert.True(ex.Status.Is(StatusCode.BadCertificateUntrusted), ex.Message);
        Assert.Contains($"edgeops opcua trust {Url}", ex.Message, StringComparison.Ordinal);
        Assert.Contains(certificate.Thumbprint, ex.Message, StringComparison.Ordinal);
        Assert.Equal(certificate.Thumbprint, Assert.Single(_store.Rejected()).Thumbprint);

        _store.Trust(certificate.RawData);
        _validator.Validate(certificate.RawData, Url, AppUri, SecurityPolicy.Basic256Sha256, null, checkHostName: true);
        Assert.Empty(_store.Rejected());
    }

    [Fact]
    public void Expired_IsRefusedWithTimeInvalidAndTheDates()
    {
        using var certificate = SelfSigned(notAfter: DateTimeOffset.UtcNow.AddDays(-1));
        _store.Trust(certificate.RawData);
        var ex = Refused(certificate);
        Assert.True(ex.Status.Is(StatusCode.BadCertificateTimeInvalid), ex.Message);
        Assert.Contains("is not valid now", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WrongApplicationUri_IsRefusedNamingBothUris()
    {
        using var certificate = SelfSigned(uri: "urn:someone:else");
        _store.Trust(certificate.RawData);
        var ex = Refused(certificate);
        Assert.True(ex.Status.Is(StatusCode.BadCertificateUriInvalid), ex.Message);
        Assert.Contains("urn:someone:else", ex.Message, StringComparison.Ordinal);
        Assert.Contains(AppUri, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WrongHost_IsRefusedNamingTheHost()
    {
        using var certificate = SelfSigned(host: "other.example");
        _store.Trust(certificate.RawData);
        var ex = Refused(certificate);
        Assert.True(ex.Status.Is(StatusCode.BadCertificateHostNameInvalid), ex.Message);
        Assert.Contains("plc1.example", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ShortKey_IsRefusedForThePolicy()
    {
        using var certificate = SelfSigned(keyBits: 1024);
        _store.Trust(certificate.RawData);
        var ex = Refused(certificate);
        Assert.True(ex.Status.Is(StatusCode.BadCertificatePolicyCheckFailed), ex.Message);
        Assert.Contains("1024-bit", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void KeyUsageWithoutEncipherment_IsRefused()
    {
        using var certificate = SelfSigned(usage: X509KeyUsageFlags.DigitalSignature);
        _store.Trust(certificate.RawData);
        Assert.True(Refused(certificate).Status.Is(StatusCode.BadCertificateUseNotAllowed));
    }

    [Fact]
    public void SignedByTrustedCa_IsTrusted_UnlessTheCaRevokedIt()
    {
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=Plant CA", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        var caSki = new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false);
        caRequest.CertificateExtensions.Add(caSki);
        var now = DateTimeOffset.UtcNow;
        using var ca = caRequest.CreateSelfSigned(now.AddDays(-10), now.AddYears(5));
        _store.Trust(ca.RawData);

        using var serverKey = RSA.Create(2048);
        var serverRequest = Request("CN=plc1", serverKey, AppUri, "plc1.example", X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment);
        serverRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromSubjectKeyIdentifier(caSki));
        using var server = serverRequest.Create(ca, now.AddDays(-1), now.AddYears(1), [1, 2, 3, 4]);
        _validator.Validate(server.RawData, Url, AppUri, SecurityPolicy.Basic256Sha256, null, checkHostName: true);

        var crl = new CertificateRevocationListBuilder();
        crl.AddEntry(server);
        File.WriteAllBytes(Path.Combine(_store.TrustedCrls, "plant-ca.crl"), crl.Build(ca, 1, now.AddDays(7), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        var ex = Refused(server);
        Assert.True(ex.Status.Is(StatusCode.BadCertificateRevoked), ex.Message);
    }

    [Fact]
    public void Pinned_AcceptsOnlyThatThumbprint()
    {
        using var certificate = SelfSigned();
        using var other = SelfSigned();
        _validator.Validate(certificate.RawData, Url, AppUri, SecurityPolicy.Basic256Sha256, certificate.Thumbprint, checkHostName: true);
        var ex = Refused(other, pin: certificate.Thumbprint);
        Assert.True(ex.Status.Is(StatusCode.BadCertificateUntrusted), ex.Message);
        Assert.Contains("pinned", ex.Message, StringComparison.Ordinal);
    }
}
