using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace EdgeOps.Contract;

/// <summary>
/// The broker TLS checks from <see cref="MqttTlsOptions"/>: CA file, client certificate, pinning, TLS 1.2/1.3. One
/// implementation for the gateway's MQTTnet client (which wraps these) and the historian's own <see cref="SslStream"/>.
/// </summary>
public static class BrokerTls
{
    /// <summary>
    /// The options of an <see cref="SslStream"/> (the historian's own MQTT connection): CA file, client
    /// certificate, pinning, TLS 1.2/1.3. Errors name the keys under <paramref name="keyPrefix"/> (e.g. <c>Historian:Mqtt:Tls</c>).
    /// </summary>
    public static SslClientAuthenticationOptions BuildSsl(MqttTlsOptions options, string host, string keyPrefix)
    {
        ArgumentNullException.ThrowIfNull(options);
        var ca = LoadCa(options.CaFile, keyPrefix);
        var pin = Pin(options);
        var ssl = new SslClientAuthenticationOptions
        {
            TargetHost = options.TargetHost ?? host,
            EnabledSslProtocols = System.Security.Authentication.SslProtocols.Tls12 | System.Security.Authentication.SslProtocols.Tls13,
            RemoteCertificateValidationCallback = (_, certificate, _, errors) => Validate(certificate, errors, ca, pin),
        };
        if (options.ClientCertificateFile is { } certFile)
        {
            ssl.ClientCertificates = new X509Certificate2Collection(LoadClientCertificate(certFile, options.ClientKeyFile, keyPrefix));
        }

        return ssl;
    }

    /// <summary>The pinned fingerprint as upper-case hex without colons, or null.</summary>
    public static string? Pin(MqttTlsOptions options) =>
        options.PinnedCertificateSha256?.Replace(":", string.Empty, StringComparison.Ordinal).Trim().ToUpperInvariant();

    /// <summary>The CA certificates of <paramref name="caFile"/> (null when none is configured); errors name <c>{keyPrefix}:CaFile</c>.</summary>
    public static X509Certificate2Collection? LoadCa(string? caFile, string keyPrefix)
    {
        if (caFile is null)
        {
            return null;
        }

        X509Certificate2Collection ca = [];
        try
        {
            ca.ImportFromPemFile(caFile);
        }
        catch (Exception ex) when (ex is IOException or CryptographicException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"{keyPrefix}:CaFile '{caFile}' could not be read: {ex.Message}", ex);
        }

        if (ca.Count == 0)
        {
            throw new InvalidOperationException($"{keyPrefix}:CaFile '{caFile}' holds no PEM certificate.");
        }

        return ca;
    }

    /// <summary>The client certificate with its key; errors name <c>{keyPrefix}:ClientCertificateFile</c>.</summary>
    public static X509Certificate2 LoadClientCertificate(string certFile, string? keyFile, string keyPrefix)
    {
        try
        {
            using var pem = X509Certificate2.CreateFromPemFile(certFile, keyFile);
            // SslStream wants a key it can use from a store-like container; a PKCS#12 round trip gives it one.
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        }
        catch (Exception ex) when (ex is IOException or CryptographicException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException(
                $"{keyPrefix}:ClientCertificateFile '{certFile}' / ClientKeyFile '{keyFile}' could not be loaded: {ex.Message}", ex);
        }
    }

    /// <summary>The broker certificate is accepted: right name, the pinned one if pinned, chained to the CA if one is given.</summary>
    public static bool Validate(X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2Collection? ca, string? pin)
    {
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable)
            || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            return false;
        }

        using var server = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        if (pin is not null && !string.Equals(Convert.ToHexString(server.GetCertHash(HashAlgorithmName.SHA256)), pin, StringComparison.Ordinal))
        {
            return false;
        }

        if (ca is null)
        {
            return errors == SslPolicyErrors.None;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(server);
    }
}
