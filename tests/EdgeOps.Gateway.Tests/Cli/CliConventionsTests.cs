using EdgeOps.TestSupport;
using EdgeOps.TestSupport.Gateway;
using EdgeOps.TestSupport.Processes;

namespace EdgeOps.Gateway.Tests.Cli;

/// <summary>
/// The command-line conventions, through the real <c>edgeops</c> executable: help and version exit 0 without starting
/// anything, a typo or an unknown option is a usage error (exit 2) naming the closest known word, and only
/// <c>run</c> (or no command) starts the gateway.
/// </summary>
public sealed class CliConventionsTests
{
    [Fact]
    public async Task Help_ListsTheVerbsAndExitsZero_WithoutStartingTheGateway()
    {
        var (code, output) = await RunAsync("--help");

        Assert.True(code == 0, output);
        foreach (var verb in new[] { "run", "validate", "replay", "doctor", "opcua", "modbus", "mqtt", "gpio" })
        {
            Assert.Contains($"  {verb} ", output, StringComparison.Ordinal);
        }

        Assert.Contains("--config <line.yaml>", output, StringComparison.Ordinal);
        // The gateway logs its start and the engine summary; help must not get that far.
        Assert.DoesNotContain("EdgeOps.Gateway", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("opcua", "browse")]
    [InlineData("modbus", "read")]
    [InlineData("run")]
    public async Task VerbHelp_ShowsItsUsageAndOptions(params string[] verb)
    {
        var (code, output) = await RunAsync([.. verb, "--help"]);

        Assert.True(code == 0, output);
        Assert.Contains($"edgeops {string.Join(' ', verb)}", output, StringComparison.Ordinal);
        Assert.Contains("Options:", output, StringComparison.Ordinal);
        Assert.DoesNotContain("EdgeOps.Gateway", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HelpVerb_PrintsTheSameAsTheHelpOption()
    {
        var (code, viaVerb) = await RunAsync("help", "opcua", "browse");
        var (_, viaOption) = await RunAsync("opcua", "browse", "--help");

        Assert.True(code == 0, viaVerb);
        Assert.Equal(viaOption, viaVerb);
        Assert.Contains("--depth <n>", viaVerb, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Version_PrintsVersionCommitRuntimeAndBuildKind()
    {
        var (code, output) = await RunAsync("--version");

        Assert.True(code == 0, output);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Matches(@"^edgeops \d+\.\d+\.\d+", lines[0]);
        // Built from this checkout: the commit is embedded, 40 hex digits.
        Assert.Matches("^commit +[0-9a-f]{40}$", lines[1]);
        Assert.StartsWith("runtime .NET 10", lines[2], StringComparison.Ordinal);
        // The tests run the framework-dependent build, which has the JIT.
        Assert.Equal("build   JIT", lines[3]);
    }

    [Fact]
    public async Task MisspeltOption_IsAUsageError_NamingTheClosestOption()
    {
        // Used to be ignored silently: the browse ran with the default depth.
        var (code, output) = await RunAsync("opcua", "browse", "opc.tcp://127.0.0.1:1", "--dept", "3");

        Assert.Equal(2, code);
        Assert.Contains("edgeops opcua browse: unknown option '--dept' (did you mean '--depth'?)", output, StringComparison.Ordinal);
        Assert.Contains("Run 'edgeops opcua browse --help' for usage.", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MisspeltVerb_IsAUsageError_NamingTheClosestVerb_AndDoesNotStartTheGateway()
    {
        var (code, output) = await RunAsync("valdate", "line.yaml");

        Assert.Equal(2, code);
        Assert.Contains("edgeops: unknown command 'valdate' (did you mean 'validate'?)", output, StringComparison.Ordinal);
        Assert.DoesNotContain("EdgeOps.Gateway", output, StringComparison.Ordinal);

        (code, output) = await RunAsync("opcua", "brows", "opc.tcp://127.0.0.1:1");
        Assert.Equal(2, code);
        Assert.Contains("edgeops opcua: unknown command 'brows' (did you mean 'browse'?)", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownOptionOfTheGateway_IsAUsageError_WhileSettingsOverridesAreAccepted()
    {
        var (code, output) = await RunAsync("--confg", "line.yaml");

        Assert.Equal(2, code);
        Assert.Contains("edgeops: unknown option '--confg' (did you mean '--config'?)", output, StringComparison.Ordinal);

        // A settings override passes the command line and reaches the settings check, which names the misspelt key.
        (code, output) = await RunAsync("run", "--EdgeOps:Mqtt:Brokr=mqtt://127.0.0.1:1883");
        Assert.Equal(2, code);
        Assert.Contains("unknown key 'Brokr' (did you mean 'EdgeOps:Mqtt:Broker'?)", output, StringComparison.Ordinal);
        Assert.DoesNotContain("unknown option", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingArgument_IsAUsageError_NamingTheArgument()
    {
        var (code, output) = await RunAsync("replay");

        Assert.Equal(2, code);
        Assert.Contains("edgeops replay: ", output, StringComparison.Ordinal);
        Assert.Contains("'file'", output, StringComparison.Ordinal);

        (code, output) = await RunAsync("opcua");
        Assert.Equal(2, code);
        Assert.Contains("Run 'edgeops opcua --help' for usage.", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OptionThatTakesAValue_WithoutOne_IsAUsageError()
    {
        var (code, output) = await RunAsync("modbus", "scan", "127.0.0.1:1", "--units");

        Assert.Equal(2, code);
        Assert.Contains("--units", output, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Output)> RunAsync(params string[] arguments)
    {
        using var process = ManagedProcess.Start("dotnet", [GatewayProcess.DllPath, .. arguments], RepoPaths.Root);
        await process.WaitForExitAsync(TimeSpan.FromSeconds(60));
        return (process.ExitCode, process.Output);
    }
}
