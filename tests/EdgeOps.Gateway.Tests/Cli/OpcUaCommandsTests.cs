using EdgeOps.Gateway.Cli;
using EdgeOps.TestSupport.OpcUa;

namespace EdgeOps.Gateway.Tests.Cli;

public sealed class OpcUaCommandsTests(OpcUaServerFixture fixture) : IClassFixture<OpcUaServerFixture>
{
    private static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
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
}
