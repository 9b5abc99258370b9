using EdgeOps.Gateway.Cli;
using EdgeOps.Publishing.Mqtt.Broker;

namespace EdgeOps.Gateway.Tests.Cli;

public sealed class BrokerHashPasswordCommandTests
{
    [Fact]
    public async Task HashPassword_ReadsStdin_PrintsAHashTheBrokerAccepts()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await new BrokerHashPasswordCommand(new StringReader("a long passphrase\n"))
            .RunAsync(["--iterations", "10000"], output, error, CancellationToken.None);

        Assert.True(code == 0, error.ToString());
        var hash = output.ToString().Trim();
        Assert.Null(BrokerPasswordHash.Validate(hash));
        Assert.True(BrokerPasswordHash.Verify(hash, "a long passphrase"));
        Assert.DoesNotContain("passphrase", hash, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HashPassword_RefusesAPasswordOnTheCommandLine()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await new BrokerHashPasswordCommand(new StringReader(string.Empty)).RunAsync(["hunter2"], output, error, CancellationToken.None);

        Assert.Equal(2, code);
        Assert.Contains("read from standard input", error.ToString(), StringComparison.Ordinal);
        Assert.Empty(output.ToString());
    }
}
