using System.Security.Cryptography.X509Certificates;
using EdgeOps.OpcUa.Types;

namespace EdgeOps.OpcUa.Security;

/// <summary>
/// Decides whether a server certificate may be used (Part 4 §6.1.3): trusted (the certificate itself or a CA of its
/// chain is in <c>trusted/</c>, or its thumbprint is pinned), within its validity, an RSA key of the length the policy
/// allows, key usage for signing and encryption, its SubjectAltName URI equal to the server's ApplicationUri and a
/// DNS name or IP equal to the host we dialled. An untrusted certificate is copied to <c>rejected/</c> and the error
/// says how to trust it.
/// </summary>
internal sealed class ServerCertificateValidator(PkiStore store, TimeProvider time)
{
    /// <summary>Throws an <see cref="OpcUaException"/> naming the reason when the certificate may not be used.</summary>
    /// <param name="serverCertificate">The certificate (DER, possibly a chain) from GetEndpoints.</param>
    /// <param name="endpointUrl">The URL dialled (its host is checked unless <paramref name="checkHostName"/> is false).</param>
    /// <param name="applicationUri">The server's ApplicationUri, which the certificate must carry.</param>
    /// <param name="policy">The policy whose key length rules apply.</param>
    /// <param name="pinnedThumbprint">When set, the only certificate accepted.</param>
    /// <param name="checkHostName">Whether the certificate must name the host of <paramref name="endpointUrl"/>.</param>
    /// <param name="saveRejected">Copy an untrusted certificate to rejected/ (false for a read-only check such as <c>edgeops doctor</c>).</param>
    public void Validate(byte[] serverCertificate, string endpointUrl, string? applicationUri, SecurityPolicy policy, string? pinnedThumbprint,
        bool checkHostName, bool saveRejected = true)
    {
        var chain = CertificateFiles.Split(serverCertificate);
        X509Certificate2 leaf;
        try
        {
            leaf = X509CertificateLoader.LoadCertificate(chain[0]);
        }
        catch (System.Security.Cryptography.CryptographicException ex)
        {
            throw new OpcUaException(StatusCode.BadCertificateInvalid, $"The server certificate of {endpointUrl} does not parse: {ex.Message}", ex);
        }

        using (leaf)
        {
            var who = $"The server certificate of {endpointUrl} (subject '{leaf.Subject}', thumbprint {leaf.Thumbprint})";
            var now = time.GetUtcNow().UtcDateTime;
            if (now < leaf.NotBefore.ToUniversalTime() || now > leaf.NotAfter.ToUniversalTime())
            {
                throw new OpcUaException(StatusCode.BadCertificateTimeInvalid,
                    $"{who} is not valid now: valid from {leaf.NotBefore.ToUniversalTime():u} to {leaf.NotAfter.ToUniversalTime():u}.");
            }

            using (var key = leaf.GetRSAPublicKey())
            {
                if (key is null || key.KeySize < policy.MinAsymmetricKeyBits || key.KeySize > policy.MaxAsymmetricKeyBits)
                {
                    throw new OpcUaException(StatusCode.BadCertificatePolicyCheckFailed,
                        $"{who} has {(key is null ? "no RSA key" : $"a {key.KeySize}-bit key")}; {policy.Name} needs RSA {policy.MinAsymmetricKeyBits}–{policy.MaxAsymmetricKeyBits} bits.");
                }
            }

            if (leaf.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault() is { } usage
                && (!usage.KeyUsages.HasFlag(X509KeyUsageFlags.DigitalSignature)
                    || (usage.KeyUsages & (X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.DataEncipherment)) == 0))
            {
                throw new OpcUaException(StatusCode.BadCertificateUseNotAllowed,
                    $"{who} does not allow digital signatures and key encipherment (key usage: {usage.KeyUsages}).");
            }

            var uris = CertificateFiles.SubjectAltUris(leaf);
            if (!string.IsNullOrEmpty(applicationUri) && !uris.Contains(applicationUri, StringComparer.Ordinal))
            {
                throw new OpcUaException(StatusCode.BadCertificateUriInvalid,
                    $"{who} names ApplicationUri '{string.Join("', '", uris)}' but the server says it is '{applicationUri}'.");
            }

            var host = new Uri(endpointUrl).IdnHost;
            var hosts = CertificateFiles.SubjectAltHosts(leaf);
            if (checkHostName && !hosts.Contains(host, StringComparer.OrdinalIgnoreCase))
            {
                throw new OpcUaException(StatusCode.BadCertificateHostNameInvalid,
                    $"{who} is for host(s) '{string.Join("', '", hosts)}', not '{host}' we connected to.");
            }

            if (Revoked(leaf) is { } crlIssuer)
            {
                throw new OpcUaException(StatusCode.BadCertificateRevoked, $"{who} is revoked by the CRL of '{crlIssuer}'.");
            }

            if (!string.IsNullOrEmpty(pinnedThumbprint))
            {
                // A pin is an explicit trust decision for exactly this certificate, and excludes every other.
                if (!string.Equals(pinnedThumbprint.Replace(":", string.Empty, StringComparison.Ordinal), leaf.Thumbprint, StringComparison.OrdinalIgnoreCase))
                {
                    throw new OpcUaException(StatusCode.BadCertificateUntrusted,
                        $"{who} does not match the pinned thumbprint {pinnedThumbprint}.");
                }

                return;
            }

            if (!IsTrusted(leaf, chain))
            {
                var saved = saveRejected ? $"; it was saved to '{store.Reject(chain[0])}'" : string.Empty;
                throw new OpcUaException(StatusCode.BadCertificateUntrusted,
                    $"{who}, valid {leaf.NotBefore.ToUniversalTime():yyyy-MM-dd} to {leaf.NotAfter.ToUniversalTime():yyyy-MM-dd}, is not trusted{saved}. "
                    + $"Check the thumbprint with the server's administrator, then trust it with: edgeops opcua trust {endpointUrl}");
            }
        }
    }

    private bool IsTrusted(X509Certificate2 leaf, List<byte[]> sentChain)
    {
        var trusted = store.Trusted();
        try
        {
            if (trusted.Any(t => string.Equals(t.Thumbprint, leaf.Thumbprint, StringComparison.OrdinalIgnoreCase)))
            {
                return true;
            }

            // A CA in trusted/ vouches for what it signed; issuers/ and the chain the server sent only complete the path.
            var issuers = store.Issuers();
            using var x509Chain = new X509Chain();
            x509Chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            x509Chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            x509Chain.ChainPolicy.VerificationTime = time.GetUtcNow().UtcDateTime;
            x509Chain.ChainPolicy.CustomTrustStore.AddRange((X509Certificate2[])[.. trusted, .. issuers]);
            foreach (var der in sentChain.Skip(1))
            {
                x509Chain.ChainPolicy.ExtraStore.Add(X509CertificateLoader.LoadCertificate(der));
            }

            if (!x509Chain.Build(leaf))
            {
                return false;
            }

            return x509Chain.ChainElements.Skip(1).Any(e => trusted.Any(t => string.Equals(t.Thumbprint, e.Certificate.Thumbprint, StringComparison.OrdinalIgnoreCase)));
        }
        finally
        {
            foreach (var t in trusted)
            {
                t.Dispose();
            }
        }
    }

    /// <summary>The issuer of a CRL in the store that lists <paramref name="leaf"/>, or null.</summary>
    private string? Revoked(X509Certificate2 leaf)
    {
        foreach (var crl in store.Crls())
        {
            if (CrlReader.Lists(crl, leaf.IssuerName.RawData, leaf.SerialNumberBytes.Span) is true)
            {
                return leaf.Issuer;
            }
        }

        return null;
    }
}
