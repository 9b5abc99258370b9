using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace EdgeOps.OpcUa.Security;

/// <summary>
/// Our application instance certificate (Part 4 §6.1, Part 6 §6.2): RSA 2048, SHA-256, SubjectAltName with the
/// ApplicationUri and the host's DNS name. Created on first start under <see cref="PkiStore.OwnCertificates"/> and
/// <see cref="PkiStore.OwnPrivate"/>, or loaded from a PFX or PEM file an administrator provides.
/// </summary>
public sealed class ApplicationCertificate : IDisposable
{
    private const string CertificateFile = "edgeops.der";
    private const string KeyFile = "edgeops.key.pem";

    private ApplicationCertificate(X509Certificate2 certificate, string source)
    {
        Certificate = certificate;
        Source = source;
        var uris = CertificateFiles.SubjectAltUris(certificate);
        ApplicationUri = uris.Count > 0 ? uris[0]
            : throw new OpcUaException(Types.StatusCode.BadCertificateUriInvalid,
                $"The application certificate {source} has no URI in its SubjectAltName; OPC UA needs the ApplicationUri there.");
        if (!certificate.HasPrivateKey || certificate.GetRSAPrivateKey() is not { } key)
        {
            throw new OpcUaException(Types.StatusCode.BadCertificateInvalid, $"The application certificate {source} has no RSA private key.");
        }

        using (key)
        {
            if (key.KeySize < 2048)
            {
                throw new OpcUaException(Types.StatusCode.BadCertificatePolicyCheckFailed,
                    $"The application certificate {source} has a {key.KeySize}-bit key; every supported security policy needs at least 2048 bits.");
            }
        }
    }

    /// <summary>The certificate with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The ApplicationUri (the certificate's SubjectAltName URI): CreateSession must send exactly this.</summary>
    public string ApplicationUri { get; }

    /// <summary>Where the certificate came from (a path), for messages.</summary>
    public string Source { get; }

    /// <summary>The default ApplicationUri for a host: <c>urn:{host}:EdgeOps</c>.</summary>
    public static string DefaultApplicationUri(string host) => $"urn:{host}:EdgeOps";

    /// <summary>
    /// Loads our certificate from <paramref name="store"/>, or creates and saves a self-signed one there the first
    /// time (valid for <paramref name="validity"/> from now, ApplicationUri <c>urn:{host}:EdgeOps</c>).
    /// </summary>
    public static ApplicationCertificate LoadOrCreate(PkiStore store, TimeSpan validity, TimeProvider? time = null, string? host = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        store.EnsureLayout();
        var certPath = Path.Combine(store.OwnCertificates, CertificateFile);
        var keyPath = Path.Combine(store.OwnPrivate, KeyFile);
        if (File.Exists(certPath) && File.Exists(keyPath))
        {
            return Load(certPath, keyPath);
        }

        host ??= Dns.GetHostName();
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest(new X500DistinguishedName($"CN=EdgeOps, DC={host}"), rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddUri(new Uri(DefaultApplicationUri(host)));
        san.AddDnsName(host);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation | X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.DataEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false)); // serverAuth, clientAuth
        var ski = new X509SubjectKeyIdentifierExtension(request.PublicKey, false);
        request.CertificateExtensions.Add(ski);
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromSubjectKeyIdentifier(ski));
        var now = (time ?? TimeProvider.System).GetUtcNow();
        using var created = request.CreateSelfSigned(now.AddDays(-1), now + validity);

        File.WriteAllBytes(certPath, created.RawData);
        var keyPem = PemEncoding.WriteString("PRIVATE KEY", rsa.ExportPkcs8PrivateKey());
        if (OperatingSystem.IsWindows())
        {
            File.WriteAllText(keyPath, keyPem);
        }
        else
        {
            using var stream = new FileStream(keyPath, new FileStreamOptions
            {
                Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            });
            using var writer = new StreamWriter(stream);
            writer.Write(keyPem);
        }

        return Load(certPath, keyPath);
    }

    /// <summary>
    /// Loads a certificate an administrator provides: a PFX/PKCS#12 file (with <paramref name="password"/>), or a PEM
    /// or DER certificate with its private key in the PEM file <paramref name="privateKeyPath"/> (or in the same PEM file).
    /// </summary>
    public static ApplicationCertificate Load(string certificatePath, string? privateKeyPath = null, string? password = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(certificatePath);
        try
        {
            var extension = Path.GetExtension(certificatePath).ToLowerInvariant();
            X509Certificate2 certificate;
            if (extension is ".pfx" or ".p12")
            {
                certificate = X509CertificateLoader.LoadPkcs12FromFile(certificatePath, password, X509KeyStorageFlags.Exportable);
            }
            else
            {
                var keyPem = File.ReadAllText(privateKeyPath ?? certificatePath);
                var bytes = File.ReadAllBytes(certificatePath);
                using var publicOnly = bytes.Length > 0 && bytes[0] == (byte)'-'
                    ? X509Certificate2.CreateFromPem(System.Text.Encoding.ASCII.GetString(bytes))
                    : X509CertificateLoader.LoadCertificate(bytes);
                using var rsa = RSA.Create();
                if (string.IsNullOrEmpty(password))
                {
                    rsa.ImportFromPem(keyPem);
                }
                else
                {
                    rsa.ImportFromEncryptedPem(keyPem, password);
                }

                using var withKey = publicOnly.CopyWithPrivateKey(rsa);

                // Round-trip through PKCS#12 so the key outlives the RSA object on every platform.
                certificate = X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null, X509KeyStorageFlags.Exportable);
            }

            try
            {
                return new ApplicationCertificate(certificate, certificatePath);
            }
            catch (OpcUaException)
            {
                certificate.Dispose();
                throw;
            }
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new OpcUaException(Types.StatusCode.BadCertificateInvalid,
                $"Cannot load the application certificate '{certificatePath}'{(privateKeyPath is null ? string.Empty : $" with key '{privateKeyPath}'")}: {ex.Message}", ex);
        }
    }

    /// <inheritdoc />
    public void Dispose() => Certificate.Dispose();
}
