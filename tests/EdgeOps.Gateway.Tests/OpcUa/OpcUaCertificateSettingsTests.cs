using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EdgeOps.Gateway.Cli;
using EdgeOps.Gateway.Configuration.OpcUa;
using EdgeOps.Gateway.Hosting;
using EdgeOps.TestSupport;
using EdgeOps.TestSupport.OpcUa;
using Microsoft.Extensions.Configuration;
using EdgeOps.Sources.OpcUa;

namespace EdgeOps.Gateway.Tests.OpcUa;

/// <summary>
/// Issue 14: the gateway's OPC UA application certificate from an administrator's PEM (certificate + key) or PFX
/// (password from the settings/environment), checked at start with messages that name the key, never the password; the
/// CLI takes the same files with <c>--cert</c>/<c>--key</c>, and node-opcua then sees that very certificate.
/// </summary>
public sealed class OpcUaCertificateSettingsTests : IDisposable
{
    private const string Password = "pfx-Secret-4711";
    private static readonly Func<string, string?> NotProduction = _ => null;
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Check_MissingFiles_NameTheKeyAndThePath()
    {
        var errors = GatewaySettings.Check(Settings(("Certificate", "/nonexistent/gw.pfx")), null, NotProduction);
        Assert.Contains("EdgeOps:OpcUa:Certificate: the file '/nonexistent/gw.pfx' does not exist (a .pfx/.p12, or a PEM/DER certificate).", errors);

        var (certificate, _) = WritePem(Create(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30)));
        errors = GatewaySettings.Check(Settings(("Certificate", certificate), ("PrivateKey", "/nonexistent/gw.key")), null, NotProduction);
        Assert.Contains("EdgeOps:OpcUa:PrivateKey: the file '/nonexistent/gw.key' does not exist.", errors);

        errors = GatewaySettings.Check(Settings(("PrivateKey", "gw.key")), null, NotProduction);
        Assert.Contains(errors, e => e.StartsWith("EdgeOps:OpcUa:PrivateKey is set ('gw.key') but EdgeOps:OpcUa:Certificate is not", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_PfxWithWrongPassword_NamesCertificateAndPasswordKeys_WithoutThePassword()
    {
        using var certificate = Create(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var pfx = Path.Combine(_dir.Path, "gw.pfx");
        File.WriteAllBytes(pfx, certificate.Export(X509ContentType.Pkcs12, Password));

        var errors = GatewaySettings.Check(Settings(("Certificate", pfx), ("CertificatePassword", "wrong-" + Password)), null, NotProduction);

        var error = Assert.Single(errors);
        Assert.StartsWith("EdgeOps:OpcUa:Certificate (with EdgeOps:OpcUa:CertificatePassword): Cannot load the application certificate '" + pfx + "'", error, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, error, StringComparison.Ordinal);
        Assert.Empty(GatewaySettings.Check(Settings(("Certificate", pfx), ("CertificatePassword", Password)), null, NotProduction));
    }

    [Fact]
    public void Check_ExpiredCertificateOrOneWithoutApplicationUri_IsRefusedNamingTheKey()
    {
        var (expired, expiredKey) = WritePem(Create(DateTimeOffset.UtcNow.AddDays(-60), DateTimeOffset.UtcNow.AddDays(-1)));
        var errors = GatewaySettings.Check(Settings(("Certificate", expired), ("PrivateKey", expiredKey)), null, NotProduction);
        Assert.Contains(errors, e => e.StartsWith($"EdgeOps:OpcUa:Certificate '{expired}' (CN=edgeops-gw) is valid from ", StringComparison.Ordinal) && e.Contains(", not now (", StringComparison.Ordinal));

        var (noUri, noUriKey) = WritePem(Create(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30), uri: null));
        errors = GatewaySettings.Check(Settings(("Certificate", noUri), ("PrivateKey", noUriKey)), null, NotProduction);
        Assert.Contains(errors, e => e.StartsWith("EdgeOps:OpcUa:Certificate/EdgeOps:OpcUa:PrivateKey: ", StringComparison.Ordinal)
            && e.Contains("has no URI in its SubjectAltName", StringComparison.Ordinal));
    }

    [Fact]
    public void SourceFactory_WithPemSettings_UsesThatCertificateAndItsApplicationUri()
    {
        var certificate = Create(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var thumbprint = certificate.Thumbprint;
        var (pem, key) = WritePem(certificate);
        var options = new OpcUaOptions { Certificate = pem, PrivateKey = key };
        Assert.Empty(OpcUaOptionsValidator.Errors(options, TimeProvider.System));
        var pki = new EdgeOps.OpcUa.Security.PkiStore(Path.Combine(_dir.Path, "pki"));

        // What the gateway's OPC UA source factory is given (GatewayHost: OpcUaOptions.ToCertificateSettings()).
        var context = (Certificate: OpcUaSourceFactory.LoadCertificate(pki, options.ToCertificateSettings(), TimeProvider.System), Pki: pki);
        using (context.Certificate)
        {
            Assert.Equal(thumbprint, context.Certificate.Certificate.Thumbprint);
            Assert.Equal("urn:plant:edgeops-gw", context.Certificate.ApplicationUri);
            Assert.DoesNotContain("secret", options.ToCertificateSettings() with { Password = "secret" } is var withPassword ? withPassword.ToString() : string.Empty, StringComparison.Ordinal);

            // The configured certificate replaces the created one: nothing is created in own/.
            Assert.Empty(Directory.EnumerateFiles(Path.Combine(_dir.Path, "pki", "own"), "*", SearchOption.AllDirectories));
        }
    }

    [Fact]
    public async Task Cli_CertFlag_PresentsThePfxToTheServer()
    {
        await using var server = new OpcUaTestServer(new OpcUaTestServerOptions { SecurityPolicies = ["Basic256Sha256"], SecurityModes = ["SignAndEncrypt"] });
        await server.StartAsync();
        using var certificate = Create(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var pfx = Path.Combine(_dir.Path, "cli.pfx");
        File.WriteAllBytes(pfx, certificate.Export(X509ContentType.Pkcs12, Password));
        var data = Path.Combine(_dir.Path, "data");
        var trust = await RunAsync(["opcua", "trust", server.EndpointUrl, "--yes", "--data", data]);
        Assert.True(trust.Code == 0, trust.Error);

        Environment.SetEnvironmentVariable("EDGEOPS_TEST_CERT_PASSWORD", Password);
        try
        {
            var (code, output, error) = await RunAsync(["opcua", "read", server.EndpointUrl, "ns=1;s=Plc.Setpoint", "--data", data, "--no-host-check",
                "--security", "SignAndEncrypt", "--cert", pfx, "--cert-password-env", "EDGEOPS_TEST_CERT_PASSWORD"]);
            Assert.True(code == 0, error + output);
            Assert.DoesNotContain(Password, output + error, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable("EDGEOPS_TEST_CERT_PASSWORD", null);
        }

        // node-opcua's test server accepts and files every client certificate it sees: ours is the PFX's, not a created one.
        var seen = Directory.EnumerateFiles(Path.Combine(server.PkiDirectory, "trusted", "certs"))
            .Select(f => X509CertificateLoader.LoadCertificate(Der(f)).Thumbprint)
            .ToList();
        Assert.Contains(certificate.Thumbprint, seen);
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(data, "pki", "own"), "*", SearchOption.AllDirectories));
    }

    private static byte[] Der(string file)
    {
        var bytes = File.ReadAllBytes(file);
        return bytes.Length > 0 && bytes[0] == (byte)'-'
            ? X509Certificate2.CreateFromPem(System.Text.Encoding.ASCII.GetString(bytes)).RawData
            : bytes;
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(string[] args)
    {
        var found = CommandDispatcher.Find(args) ?? throw new InvalidOperationException("no verb for " + string.Join(' ', args));
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await found.Command.RunAsync(found.Arguments, output, error, CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }

    private static IConfiguration Settings(params (string Key, string Value)[] values) => new ConfigurationBuilder()
        .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>("EdgeOps:OpcUa:" + v.Key, v.Value)))
        .Build();

    private (string Certificate, string Key) WritePem(X509Certificate2 certificate)
    {
        using (certificate)
        {
            var name = Guid.NewGuid().ToString("N");
            var pem = Path.Combine(_dir.Path, name + ".pem");
            var key = Path.Combine(_dir.Path, name + ".key.pem");
            File.WriteAllText(pem, certificate.ExportCertificatePem());
            using var rsa = certificate.GetRSAPrivateKey()!;
            File.WriteAllText(key, rsa.ExportPkcs8PrivateKeyPem());
            return (pem, key);
        }
    }

    private static X509Certificate2 Create(DateTimeOffset from, DateTimeOffset to, string? uri = "urn:plant:edgeops-gw")
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=edgeops-gw", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation | X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.DataEncipherment, true));
        if (uri is not null)
        {
            var san = new SubjectAlternativeNameBuilder();
            san.AddUri(new Uri(uri));
            san.AddDnsName("localhost");
            request.CertificateExtensions.Add(san.Build());
        }

        var certificate = request.CreateSelfSigned(from, to);

        // Exportable on every platform, as a PFX read from disk would be.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null, X509KeyStorageFlags.Exportable);
    }
}
