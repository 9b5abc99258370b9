using System.CommandLine;
using System.Globalization;
using EdgeOps.OpcUa.Client;
using EdgeOps.OpcUa.Security;

namespace EdgeOps.Gateway.Cli;

/// <summary>
/// <c>edgeops opcua trust &lt;endpoint&gt; [--yes] [--data DIR]</c>: fetches the server certificate(s) with GetEndpoints,
/// shows subject, thumbprint and validity, asks, and puts each into <c>pki/trusted/certs</c> (removing it from
/// <c>rejected/</c>). The thumbprint is what to compare with the server's own display before answering yes.
/// </summary>
internal sealed class OpcUaTrustCommand(TextReader? input = null) : CliCommand
{
    private readonly Argument<string> _endpoint = OpcUaCliArguments.EndpointArgument();

    private readonly CliOptions _options = OpcUaCliArguments.Options()
        .Flag("yes", "trust without asking (compare the thumbprint with the server's own display first)");

    public override IReadOnlyList<string> Path { get; } = ["opcua", "trust"];

    public override string Description => "show the server's certificate (subject, thumbprint, validity) and trust it";

    protected override void Define(Command command)
    {
        command.Add(_endpoint);
        _options.AddTo(command);
    }

    protected override Task<int> ExecuteAsync(ParseResult parsed, TextWriter output, TextWriter error, CancellationToken cancellationToken) =>
        OpcUaCliArguments.GuardAsync(error, async () =>
        {
            var args = OpcUaCliArguments.From(_options.Read(parsed), parsed.GetRequiredValue(_endpoint));
            var endpoints = await OpcUaDiscovery.GetEndpointsAsync(args.Endpoint, TimeSpan.FromSeconds(15), cancellationToken);
            var certificates = OpcUaDiscovery.ServerCertificates(endpoints);
            if (certificates.Count == 0)
            {
                error.WriteLine($"error: {args.Endpoint} offers no endpoint with a certificate (security None only): nothing to trust.");
                return 1;
            }

            var pki = args.Pki();
            pki.EnsureLayout();
            var trusted = 0;
            foreach (var certificate in certificates)
            {
                using (certificate)
                {
                    output.WriteLine($"server certificate of {args.Endpoint}");
                    output.WriteLine($"  subject:    {certificate.Subject}");
                    output.WriteLine($"  issuer:     {certificate.Issuer}");
                    output.WriteLine($"  thumbprint: {certificate.Thumbprint} (SHA-1)");
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  valid:      {certificate.NotBefore.ToUniversalTime():yyyy-MM-dd HH:mm} to {certificate.NotAfter.ToUniversalTime():yyyy-MM-dd HH:mm} UTC"));
                    output.WriteLine($"  names:      {string.Join(", ", CertificateUris(certificate))}");
                    if (pki.IsTrusted(certificate.RawData))
                    {
                        output.WriteLine("  already trusted");
                        trusted++;
                        continue;
                    }

                    if (!args.Flag("yes"))
                    {
                        output.Write("Trust this certificate? Compare the thumbprint with the server's own display first. [y/N] ");
                        var answer = (input ?? Console.In).ReadLine()?.Trim();
                        if (!string.Equals(answer, "y", StringComparison.OrdinalIgnoreCase) && !string.Equals(answer, "yes", StringComparison.OrdinalIgnoreCase))
                        {
                            output.WriteLine("  not trusted");
                            continue;
                        }
                    }

                    output.WriteLine($"  trusted: {pki.Trust(certificate.RawData)}");
                    trusted++;
                }
            }

            return trusted == certificates.Count ? 0 : 1;
        });

    private static IEnumerable<string> CertificateUris(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate)
    {
        foreach (var extension in certificate.Extensions)
        {
            if (extension is System.Security.Cryptography.X509Certificates.X509SubjectAlternativeNameExtension san)
            {
                foreach (var name in san.EnumerateDnsNames())
                {
                    yield return "DNS:" + name;
                }
            }
        }
    }
}
