using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace EdgeOps.OpcUa.Security;

/// <summary>
/// The usual OPC UA certificate folders under one root: <c>own/certs</c> and <c>own/private</c> (our application
/// instance certificate and key), <c>trusted/certs</c> and <c>trusted/crl</c> (servers and CAs we trust, and their
/// revocation lists), <c>issuers/certs</c> and <c>issuers/crl</c> (CAs that complete chains without being trusted
/// themselves), <c>rejected/certs</c> (server certificates we refused, kept for an operator to inspect and trust).
/// </summary>
public sealed class PkiStore
{
    /// <summary>Uses (and creates when needed) the folders under <paramref name="root"/>.</summary>
    public PkiStore(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        Root = Path.GetFullPath(root);
    }

    /// <summary>The root folder.</summary>
    public string Root { get; }

    /// <summary><c>own/certs</c>.</summary>
    public string OwnCertificates => Path.Combine(Root, "own", "certs");

    /// <summary><c>own/private</c>: readable by the service user only.</summary>
    public string OwnPrivate => Path.Combine(Root, "own", "private");

    /// <summary><c>trusted/certs</c>.</summary>
    public string TrustedCertificates => Path.Combine(Root, "trusted", "certs");

    /// <summary><c>trusted/crl</c>.</summary>
    public string TrustedCrls => Path.Combine(Root, "trusted", "crl");

    /// <summary><c>issuers/certs</c>.</summary>
    public string IssuerCertificates => Path.Combine(Root, "issuers", "certs");

    /// <summary><c>issuers/crl</c>.</summary>
    public string IssuerCrls => Path.Combine(Root, "issuers", "crl");

    /// <summary><c>rejected/certs</c>.</summary>
    public string RejectedCertificates => Path.Combine(Root, "rejected", "certs");

    /// <summary>Creates every folder (the private one with mode 0700 on Unix).</summary>
    public void EnsureLayout()
    {
        foreach (var dir in (string[])[OwnCertificates, TrustedCertificates, TrustedCrls, IssuerCertificates, IssuerCrls, RejectedCertificates])
        {
            Directory.CreateDirectory(dir);
        }

        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(OwnPrivate);
        }
        else
        {
            Directory.CreateDirectory(OwnPrivate, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    /// <summary>The file name a certificate gets in any folder: its common name and thumbprint.</summary>
    public static string FileName(X509Certificate2 certificate)
    {
        var name = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        var safe = new string([.. (string.IsNullOrEmpty(name) ? "certificate" : name).Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_')]);
        return $"{safe} [{certificate.Thumbprint}].der";
    }

    /// <summary>Saves <paramref name="der"/> into <c>rejected/certs</c> and returns the path.</summary>
    public string Reject(byte[] der) => Save(RejectedCertificates, der);

    /// <summary>Saves <paramref name="der"/> into <c>trusted/certs</c> and removes it from <c>rejected/certs</c>; returns the path.</summary>
    public string Trust(byte[] der)
    {
        var path = Save(TrustedCertificates, der);
        var rejected = Path.Combine(RejectedCertificates, Path.GetFileName(path));
        if (File.Exists(rejected))
        {
            File.Delete(rejected);
        }

        return path;
    }

    /// <summary>The certificates of <c>rejected/certs</c>.</summary>
    public IReadOnlyList<X509Certificate2> Rejected() => Load(RejectedCertificates);

    /// <summary>The certificates of <c>trusted/certs</c>.</summary>
    public IReadOnlyList<X509Certificate2> Trusted() => Load(TrustedCertificates);

    /// <summary>The certificates of <c>issuers/certs</c>.</summary>
    public IReadOnlyList<X509Certificate2> Issuers() => Load(IssuerCertificates);

    /// <summary>Whether the exact certificate is in <c>trusted/certs</c>.</summary>
    public bool IsTrusted(ReadOnlySpan<byte> der)
    {
        var thumbprint = CertificateFiles.Thumbprint(der);
        return Trusted().Any(c => string.Equals(c.Thumbprint, thumbprint, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The raw CRL files of <c>trusted/crl</c> and <c>issuers/crl</c>.</summary>
    internal IEnumerable<byte[]> Crls()
    {
        foreach (var dir in (string[])[TrustedCrls, IssuerCrls])
        {
            if (!Directory.Exists(dir))
            {
                continue;
            }

            foreach (var file in Directory.EnumerateFiles(dir).Order(StringComparer.Ordinal))
            {
                var bytes = File.ReadAllBytes(file);
                yield return bytes.Length > 0 && bytes[0] == (byte)'-' ? PemToDer(bytes) : bytes;
            }
        }
    }

    private static byte[] PemToDer(byte[] pem)
    {
        var text = System.Text.Encoding.ASCII.GetString(pem);
        return PemEncoding.TryFind(text, out var fields) ? Convert.FromBase64String(text[fields.Base64Data]) : pem;
    }

    private static string Save(string dir, byte[] der)
    {
        Directory.CreateDirectory(dir);
        using var certificate = X509CertificateLoader.LoadCertificate(der);
        var path = Path.Combine(dir, FileName(certificate));
        File.WriteAllBytes(path, certificate.RawData);
        return path;
    }

    private static List<X509Certificate2> Load(string dir)
    {
        var list = new List<X509Certificate2>();
        if (!Directory.Exists(dir))
        {
            return list;
        }

        foreach (var file in Directory.EnumerateFiles(dir).Order(StringComparer.Ordinal))
        {
            try
            {
                var bytes = File.ReadAllBytes(file);
                list.Add(bytes.Length > 0 && bytes[0] == (byte)'-'
                    ? X509Certificate2.CreateFromPem(System.Text.Encoding.ASCII.GetString(bytes))
                    : X509CertificateLoader.LoadCertificate(bytes));
            }
            catch (CryptographicException)
            {
                // Not a certificate (a README, a stray key): the store ignores it.
            }
        }

        return list;
    }
}
