using EdgeOps.Gateway.Cli;
using EdgeOps.TestSupport;

namespace EdgeOps.Gateway.Tests.Configuration;

public sealed class ValidateCommandTests
{
    [Fact]
    public async Task Validate_ShippedDemoLine_PrintsOkAndExitsZero()
    {
        var (code, output, error) = await RunAsync(Path.Combine(RepoPaths.File("firmware-config", "lines"), "demo-line.yaml"));

        Assert.Equal(0, code);
        Assert.StartsWith("OK ", output, StringComparison.Ordinal);
        Assert.Contains("3 machines (press, welder, packer)", output, StringComparison.Ordinal);
        Assert.Empty(error);
    }

    [Fact]
    public async Task Validate_BrokenFile_PrintsEveryErrorAndExitsOne()
    {
        var file = RepoPaths.File("tests", "EdgeOps.Gateway.Tests", "Configuration", "broken", "unknown-key.yaml");

        var (code, output, error) = await RunAsync(file);

        Assert.Equal(1, code);
        Assert.Empty(output);
        Assert.Contains($"{file}:15:5: machines[0].idealCycleTme: unknown key 'idealCycleTme' (did you mean 'idealCycleTime'?)", error, StringComparison.Ordinal);
        Assert.Contains("machines[0].idealCycleTime: missing", error, StringComparison.Ordinal);
        Assert.Contains("2 error(s)", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_IsRegisteredAsAVerb()
    {
        var found = CommandDispatcher.Find(["validate", "x.yaml"]);

        Assert.NotNull(found);
        Assert.IsType<ValidateCommand>(found.Value.Command);
        Assert.Equal(["x.yaml"], found.Value.Arguments);
        Assert.Equal(2, (await RunAsync()).Code);
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(params string[] arguments)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await new ValidateCommand().RunAsync(arguments, output, error, CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }
}
