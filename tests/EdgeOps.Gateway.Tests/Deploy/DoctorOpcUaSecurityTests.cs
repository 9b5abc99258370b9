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
        OpcUaEndpoints = [new Uri(_server.EndpointUrl)],

        // node-opcua's certificate names the machine, not 127.0.0.1 (docs/opcua.md).
        OpcUaCheckHostName = false,
        NetworkTimeout = TimeSpan.FromSeconds(30),
    };

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
        var results = await new OpcUaEndpointCheck().RunAsync(Settings with { OpcUaSecurityMode = "Sign" }, CancellationToken.None);

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
        var found = CommandDispatcher.Find(args) ?? throw new InvalidOperationException("no verb for " + string.Join(' ', args));
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await found.Command.RunAsync(found.Arguments, output, error, CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }
}
