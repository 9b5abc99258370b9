using EdgeOps.Gateway.Cli;
using EdgeOps.Gateway.Doctor;
using EdgeOps.TestSupport;
using EdgeOps.TestSupport.OpcUa;

namespace EdgeOps.Gateway.Tests.Deploy;

/// <summary>
/// Issue 14: <c>edgeops doctor</c> reports per OPC UA endpoint the security mode and policy the gateway would use and
/// whether the server certificate is trusted in the gateway's store, and what to run when it is not; against a real
/// node-opcua server offering only Basic256Sha256 SignAndEncrypt.
/// </summary>
public sealed class DoctorOpcUaSecurityTests : IAsyncLifetime
{
    private readonly OpcUaTestServer _server = new(new OpcUaTestServerOptions { SecurityPolicies = ["Basic256Sha256"], SecurityModes = ["SignAndEncrypt"] });
    private readonly TempDirectory _data = new();

    public Task InitializeAsync() => _server.StartAsync();

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _data.Dispose();
    }

    private DoctorSettings Settings => new()
    {
        DataDirectory = _data.Path,
        // node-opcua's certificate names the machine, not 127.0.0.1 (docs/opcua.md).
        OpcUaEndpoints = [Endpoint()],
        NetworkTimeout = TimeSpan.FromSeconds(30),
    };

    private DoctorOpcUaEndpoint Endpoint(string? mode = null) => new(new Uri(_server.EndpointUrl), SecurityMode: mode, CheckHostName: false);

    [Fact]
    public async Task UntrustedThenTrusted_ReportsModeAndPolicy_AndTheTrustCommandUntilTrusted()
    {
        var results = await new OpcUaEndpointCheck().RunAsync(Settings, CancellationToken.None);

        Assert.Equal(2, results.Count);
        Assert.Equal(DoctorStatus.Pass, results[0].Status);
        var security = results[1];
        Assert.Equal("opcua-security", security.Check);
        Assert.Equal(DoctorStatus.Fail, security.Status);
        Assert.StartsWith("security SignAndEncrypt/Basic256Sha256 (offered: ", security.Detail, StringComparison.Ordinal);
        Assert.Contains("BadCertificateUntrusted", security.Detail, StringComparison.Ordinal);
        Assert.Contains($"then run: edgeops opcua trust {_server.EndpointUrl} --data {_data.Path}", security.Fix, StringComparison.Ordinal);

        // Read-only: the doctor leaves no rejected certificate behind.
        Assert.False(Directory.Exists(Path.Combine(_data.Path, "pki", "rejected", "certs"))
            && Directory.EnumerateFiles(Path.Combine(_data.Path, "pki", "rejected", "certs")).Any());

        var trust = await RunAsync(["opcua", "trust", _server.EndpointUrl, "--yes", "--data", _data.Path]);
        Assert.True(trust.Code == 0, trust.Error);

        results = await new OpcUaEndpointCheck().RunAsync(Settings, CancellationToken.None);
        Assert.True(results[1].Status == DoctorStatus.Pass, results[1].ToString());
        Assert.Matches("^security SignAndEncrypt/Basic256Sha256 \\(offered: .*\\); server certificate [0-9A-F]{40} trusted$", results[1].Detail);
    }

    [Fact]
    public async Task AskedForAModeTheServerDoesNotOffer_FailsNamingWhatItOffers()
    {
        var results = await new OpcUaEndpointCheck().RunAsync(Settings with { OpcUaEndpoints = [Endpoint("Sign")] }, CancellationToken.None);

        var security = results[1];
        Assert.Equal(DoctorStatus.Fail, security.Status);
        Assert.Contains("offers no endpoint for Sign/any policy", security.Detail, StringComparison.Ordinal);
        Assert.Contains("SignAndEncrypt/Basic256Sha256", security.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DoctorVerb_TakesTheOpcUaSecurityOptions()
    {
        var dev = Directory.CreateDirectory(Path.Combine(_data.Path, "dev")).FullName;
        var (_, output, error) = await RunAsync(["doctor", "--opcua", _server.EndpointUrl, "--opcua-security", "Sign", "--opcua-policy", "Basic256Sha256",
            "--opcua-no-host-check", "--data", _data.Path, "--dev", dev, "--etc", dev]);

        Assert.Contains("offers no endpoint for Sign/Basic256Sha256", output + error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DoctorVerb_ChecksEachEndpointOfTheLineFile_WithItsOwnSecurityAndPin()
    {
        var dev = Directory.CreateDirectory(Path.Combine(_data.Path, "dev")).FullName;
        var pin = (await EdgeOps.OpcUa.Client.OpcUaDiscovery.CheckAsync(_server.EndpointUrl, new EdgeOps.OpcUa.Security.PkiStore(Path.Combine(_data.Path, "pki")),
            null, null, checkHostName: false, TimeSpan.FromSeconds(30))).Thumbprint;
        Assert.NotNull(pin);
        var line = Path.Combine(_data.Path, "line.yaml");
        await File.WriteAllTextAsync(line, $$"""
            site: s1
            area: a1
            line: doctor-line
            name: Doctor line
            timeZone: Europe/Berlin
            shifts:
              - { name: day, start: "06:00", end: "18:00", days: [mon, tue, wed, thu, fri, sat, sun] }
            sources:
              opcua:
                endpoints:
                  - name: filler-plc
                    url: "{{_server.EndpointUrl}}"
                    securityMode: SignAndEncrypt
                    securityPolicy: Basic256Sha256
                    checkServerHostName: false
                    serverThumbprint: "{{pin}}"
                  - name: capper-plc
                    url: "{{_server.EndpointUrl}}"
                    securityMode: Sign
                    checkServerHostName: false
            machines:
              - id: filler
                idealCycleTime: 1s
                signals:
                  - name: bottles
                    role: total
                    countMode: totalizer
                    source: { opcua: { endpoint: filler-plc, node: "s=Filler.Count", namespaceUri: "urn:filler-plc:app" } }
              - id: capper
                idealCycleTime: 1s
                signals:
                  - name: bottles
                    role: total
                    countMode: totalizer
                    source: { opcua: { endpoint: capper-plc, node: "s=Capper.Count", namespaceUri: "urn:filler-plc:app" } }
            """);

        var (code, output, error) = await RunAsync(["doctor", "--config", line, "--data", _data.Path, "--dev", dev, "--etc", dev]);

        var text = output + error;
        Assert.True(code == 1, text);

        // The pinned endpoint passes without a trust list entry; the other asks for Sign, which the server does not offer.
        Assert.Matches($"filler-plc \\({System.Text.RegularExpressions.Regex.Escape(_server.EndpointUrl)}\\).*security SignAndEncrypt/Basic256Sha256 .*pinned by serverThumbprint", text);
        Assert.Matches($"capper-plc \\({System.Text.RegularExpressions.Regex.Escape(_server.EndpointUrl)}\\).*offers no endpoint for Sign", text);
    }

    [Fact]
    public async Task DoctorVerb_WithABrokenLineFile_IsAUsageErrorNamingIt()
    {
        var line = Path.Combine(_data.Path, "broken.yaml");
        await File.WriteAllTextAsync(line, "line: { id: x }\nmachines: []\n");

        var (code, _, error) = await RunAsync(["doctor", "--config", line, "--data", _data.Path]);

        Assert.Equal(2, code);
        Assert.Contains($"line file '{line}' has errors", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpcUaBrowseHelp_ListsSecurityPolicyAndCertificate()
    {
        var (code, output, error) = await RunAsync(["opcua", "browse", "--help"]);

        Assert.True(code == 0, error);
        Assert.Contains("--security <mode>", output, StringComparison.Ordinal);
        Assert.Contains("None, Sign or SignAndEncrypt", output, StringComparison.Ordinal);
        Assert.Contains("--policy <name>", output, StringComparison.Ordinal);
        Assert.Contains("--cert <file>", output, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(string[] args)
    {
        // The command line as the binary parses it (help and usage errors included).
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CliApplication.RunAsync(args, output, error, CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }
}
