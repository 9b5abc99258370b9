using EdgeOps.OpcUa;
using EdgeOps.OpcUa.Security;
using Microsoft.Extensions.Options;

namespace EdgeOps.Gateway.Configuration.OpcUa;

/// <summary>
/// Checks <see cref="OpcUaOptions"/> at start: the configured certificate must load with its key and password, carry
/// an ApplicationUri, have an RSA key of at least 2048 bits and be within its validity. Every message names the key and
/// the value found, except the password, which no message contains.
/// </summary>
internal sealed class OpcUaOptionsValidator(TimeProvider clock) : IValidateOptions<OpcUaOptions>
{
    public OpcUaOptionsValidator()
        : this(TimeProvider.System)
    {
    }

    public ValidateOptionsResult Validate(string? name, OpcUaOptions options)
    {
        var errors = Errors(options, clock);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>Every problem with <paramref name="options"/>; empty when they are usable.</summary>
    public static IReadOnlyList<string> Errors(OpcUaOptions options, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clock);
        const string section = OpcUaOptions.Section;
        var errors = new List<string>();
        if (options.CertificateValidity < TimeSpan.FromDays(1) || options.CertificateValidity > TimeSpan.FromDays(20 * 365))
        {
            errors.Add($"{section}:CertificateValidity must be between 1 day and 20 years, found {options.CertificateValidity}.");
        }

        if (string.IsNullOrWhiteSpace(options.Certificate))
        {
            if (!string.IsNullOrWhiteSpace(options.PrivateKey))
            {
                errors.Add($"{section}:PrivateKey is set ('{options.PrivateKey}') but {section}:Certificate is not: set both, or neither to let the gateway create its own.");
            }

            if (!string.IsNullOrEmpty(options.CertificatePassword))
            {
                errors.Add($"{section}:CertificatePassword is set but {section}:Certificate is not.");
            }

            return errors;
        }

        if (!File.Exists(options.Certificate))
        {
            errors.Add($"{section}:Certificate: the file '{options.Certificate}' does not exist (a .pfx/.p12, or a PEM/DER certificate).");
            return errors;
        }

        if (!string.IsNullOrWhiteSpace(options.PrivateKey) && !File.Exists(options.PrivateKey))
        {
            errors.Add($"{section}:PrivateKey: the file '{options.PrivateKey}' does not exist.");
            return errors;
        }

        try
        {
            using var certificate = Load(options);
            var now = clock.GetUtcNow();
            var x509 = certificate.Certificate;
            if (now < x509.NotBefore.ToUniversalTime() || now > x509.NotAfter.ToUniversalTime())
            {
                errors.Add($"{section}:Certificate '{options.Certificate}' ({x509.Subject}) is valid from {x509.NotBefore.ToUniversalTime():u} to "
                    + $"{x509.NotAfter.ToUniversalTime():u}, not now ({now.UtcDateTime:u}).");
            }
        }
        catch (OpcUaException ex)
        {
            // The message names the file and what .NET found wrong (e.g. a wrong password), never the password.
            var key = options.Certificate.EndsWith(".pfx", StringComparison.OrdinalIgnoreCase) || options.Certificate.EndsWith(".p12", StringComparison.OrdinalIgnoreCase)
                ? $"{section}:Certificate (with {section}:CertificatePassword)"
                : $"{section}:Certificate/{section}:PrivateKey";
            errors.Add($"{key}: {Redact(ex.Message, options.CertificatePassword)}");
        }

        return errors;
    }

    private static ApplicationCertificate Load(OpcUaOptions options) =>
        ApplicationCertificate.Load(options.Certificate!, string.IsNullOrWhiteSpace(options.PrivateKey) ? null : options.PrivateKey,
            string.IsNullOrEmpty(options.CertificatePassword) ? null : options.CertificatePassword);

    private static string Redact(string message, string? password) =>
        string.IsNullOrEmpty(password) ? message : message.Replace(password, "***", StringComparison.Ordinal);
}
