using EdgeOps.Gateway.Cli;
using EdgeOps.TestSupport.OpcUa;

namespace EdgeOps.Gateway.Tests.Cli;

public sealed class OpcUaCommandsTests(OpcUaServerFixture fixture) : IClassFixture<OpcUaServerFixture>, IDisposable
{
    // Each test gets its own data directory (certificate store): the server's certificate starts untrusted.
    private readonly string _data = Path.Combine(Path.GetTempPath(), "edgeops-cli-data-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }

    /// <summary>Runs a verb with --data pointing at this test's store, trusting the server first (as an operator would once).</summary>
    private async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        if (args[1] != "trust" && !Directory.Exists(Path.Combine(_data, "pki", "trusted")))
        {
            var trust = await RunRawAsync(["opcua", "trust", fixture.Server.EndpointUrl, "--yes", "--data", _data]);
            Assert.True(trust.Code == 0, trust.Error);
        }

        // node-opcua's certificate names the machine, not 127.0.0.1.
        return await RunRawAsync([.. args, "--data", _data, "--no-host-check"]);
    }

    private static async Task<(int Code, string Output, string Error)> RunRawAsync(string[] args)
    {
        var found = CommandDispatcher.Find(args) ?? throw new InvalidOperationException("no verb for " + string.Join(' ', args));
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await found.Command.RunAsync(found.Arguments, output, error, CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Browse_PrintsTreeWithNodeIdsDataTypesAndValues()
    {
        var (code, output, _) = await RunAsync("opcua", "browse", fixture.Server.EndpointUrl, "--depth", "2");
        Assert.Equal(0, code);
        Assert.Contains("PartCount  [Variable] ns=1;s=Plc.PartCount  UInt32 = ", output, StringComparison.Ordinal);
        Assert.Contains("Running  [Variable] ns=1;s=Plc.Running  Boolean = True", output, StringComparison.Ordinal);
        Assert.Contains("Server  [Object] i=2253", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_UnknownNode_ExitsOneAndNamesTheStatus()
    {
        var (code, output, _) = await RunAsync("opcua", "read", fixture.Server.EndpointUrl, "ns=1;s=Plc.Setpoint", "ns=1;s=Nope");
        Assert.Equal(1, code);
        Assert.Contains("ns=1;s=Plc.Setpoint = ", output, StringComparison.Ordinal);
        Assert.Contains("ns=1;s=Nope = (no value)  BadNodeIdUnknown", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_WrongPassword_PrintsOneClearError()
    {
        var (code, _, error) = await RunAsync("opcua", "read", fixture.Server.EndpointUrl, "i=2258", "--user", "alice", "--password-env", "EDGEOPS_TEST_UNSET_PASSWORD");
        Assert.Equal(1, code);
        Assert.Contains("BadUserAccessDenied", error, StringComparison.Ordinal);
        Assert.Contains("alice", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watch_PrintsChangesForTheGivenSeconds()
    {
        var (code, output, _) = await RunAsync("opcua", "watch", fixture.Server.EndpointUrl, "ns=1;s=Counter.0", "--interval", "100", "--seconds", "2");
        Assert.Equal(0, code);
        Assert.True(output.Split('\n').Count(l => l.Contains("ns=1;s=Counter.0 = ", StringComparison.Ordinal)) >= 5, output);
    }

    [Fact]
    public async Task Scaffold_WritesSignalsBoundByNodeAndNamespaceUri()
    {
        var (code, output, _) = await RunAsync("opcua", "scaffold", fixture.Server.EndpointUrl, "--depth", "2", "--name", "press-plc", "--machine", "press");
        Assert.Equal(0, code);
        Assert.Contains("  - id: press", output, StringComparison.Ordinal);
        Assert.Contains($"source: {{ opcua: {{ endpoint: press-plc, node: \"s=Plc.PartCount\", namespaceUri: \"{fixture.Server.NamespaceUri}\" }} }}", output, StringComparison.Ordinal);
        Assert.Contains("role: total", output, StringComparison.Ordinal);
        Assert.DoesNotContain("node: \"i=", output, StringComparison.Ordinal); // standard nodes are left out
    }

    [Fact]
    public async Task Read_UntrustedServer_IsRefusedNamingTheTrustVerb_ThenTrustYesConnectsWithSignAndEncrypt()
    {
        var refused = await RunRawAsync(["opcua", "read", fixture.Server.EndpointUrl, "i=2258", "--data", _data, "--no-host-check"]);
        Assert.Equal(1, refused.Code);
        Assert.Contains("is not trusted", refused.Error, StringComparison.Ordinal);
        Assert.Contains($"edgeops opcua trust {fixture.Server.EndpointUrl}", refused.Error, StringComparison.Ordinal);
        Assert.Single(Directory.GetFiles(Path.Combine(_data, "pki", "rejected", "certs")));

        var trust = await RunRawAsync(["opcua", "trust", fixture.Server.EndpointUrl, "--yes", "--data", _data]);
        Assert.Equal(0, trust.Code);
        Assert.Contains("thumbprint: ", trust.Output, StringComparison.Ordinal);
        Assert.Contains("valid: ", trust.Output, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(Path.Combine(_data, "pki", "rejected", "certs")));

        Environment.SetEnvironmentVariable("EDGEOPS_TEST_ALICE_PASSWORD", "secret");
        var read = await RunRawAsync(["opcua", "read", fixture.Server.EndpointUrl, "i=2258", "--data", _data, "--no-host-check", "--security", "SignAndEncrypt", "--user", "alice", "--password-env", "EDGEOPS_TEST_ALICE_PASSWORD"]);
        Assert.True(read.Code == 0, read.Error);
        Assert.Contains("i=2258 = ", read.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Trust_WithoutYes_AsksAndTrustsNothingOnNo()
    {
        var found = CommandDispatcher.Find(["opcua", "trust"])!;
        var command = new OpcUaTrustCommand(new StringReader("n\n"));
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await command.RunAsync([fixture.Server.EndpointUrl, "--data", _data], output, error, CancellationToken.None);
        Assert.NotNull(found);
        Assert.Equal(1, code);
        Assert.Contains("Trust this certificate?", output.ToString(), StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(Path.Combine(_data, "pki", "trusted", "certs")));
    }
}
