using EdgeOps.Gateway.Cli;
using EdgeOps.TestSupport.Modbus;

namespace EdgeOps.Gateway.Tests.Cli;

/// <summary><c>edgeops modbus read|watch|scan</c> against Debian's pymodbus server.</summary>
public sealed class ModbusCommandsTests : IAsyncLifetime
{
    private readonly ModbusTestServer _server = new();

    public Task InitializeAsync()
    {
        var unit = _server.Map.Unit(1);
        unit.SetHolding(0, 0x42F6, 0xE979, 0xE979, 0x42F6); // float32 123.456 in big, then little word order
        unit.SetHolding(10, 7, 8, 9);
        unit.SetInput(100, 1, 2, 3, 4, 5);
        unit.Coils[3] = true;
        _server.Map.Unit(5).SetHolding(0, 55);
        return _server.StartAsync();
    }

    public Task DisposeAsync() => _server.DisposeAsync().AsTask();

    private static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        var found = CommandDispatcher.Find(args) ?? throw new InvalidOperationException("no verb for " + string.Join(' ', args));
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await found.Command.RunAsync(found.Arguments, output, error, CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Read_DecodesTypesAndWordOrders_AndShowsTheRawRegisters()
    {
        var (code, output, error) = await RunAsync("modbus", "read", _server.Endpoint, "holding", "0", "--type", "float32");
        Assert.True(code == 0, error);
        Assert.Contains("holding 0 = 123.456", output, StringComparison.Ordinal);
        Assert.Contains("[0x42F6 0xE979]", output, StringComparison.Ordinal);

        (code, output, _) = await RunAsync("modbus", "read", _server.Endpoint, "holding", "2", "--type", "float32", "--word-order", "little");
        Assert.Equal(0, code);
        Assert.Contains("holding 2 = 123.456", output, StringComparison.Ordinal);

        (code, output, _) = await RunAsync("modbus", "read", _server.Endpoint, "input", "100", "--count", "5");
        Assert.Equal(0, code);
        Assert.Equal(["input 100 = 1", "input 101 = 2", "input 102 = 3", "input 103 = 4", "input 104 = 5"],
            output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l[..l.IndexOf("  [", StringComparison.Ordinal)]));

        (code, output, _) = await RunAsync("modbus", "read", _server.Endpoint, "coil", "3");
        Assert.Equal(0, code);
        Assert.Equal("coil 3 = 1", output.Trim());

        (code, output, _) = await RunAsync("modbus", "read", _server.Endpoint, "holding", "0", "--unit", "5");
        Assert.Equal(0, code);
        Assert.StartsWith("holding 0 = 55", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_UnmappedAddress_ExitsOneNamingTheException_BadArgumentsExitTwo()
    {
        var (code, _, error) = await RunAsync("modbus", "read", _server.Endpoint, "holding", "500");
        Assert.Equal(1, code);
        Assert.Contains("exception 2 IllegalDataAddress", error, StringComparison.Ordinal);

        (code, _, error) = await RunAsync("modbus", "read", _server.Endpoint, "holdings", "0");
        Assert.Equal(2, code);
        Assert.Contains("table 'holdings'", error, StringComparison.Ordinal);

        (code, _, error) = await RunAsync("modbus", "read", _server.Endpoint, "coil", "0", "--type", "float32");
        Assert.Equal(2, code);
        Assert.Contains("--type float32 does not fit the coil table", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watch_PrintsChangesAsTheyHappen()
    {
        var watch = RunAsync("modbus", "watch", _server.Endpoint, "holding", "10", "--interval", "100", "--seconds", "4");
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        await using (var client = new EdgeOps.Modbus.ModbusClient(new EdgeOps.Modbus.ModbusClientOptions { Host = _server.Host, Port = _server.Port }))
        {
            await client.WriteSingleRegisterAsync(1, 10, 77);
        }

        var (code, output, _) = await watch;
        Assert.Equal(0, code);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length); // the first value, then the one change: unchanged polls print nothing
        Assert.Contains("holding 10 = 7", lines[0], StringComparison.Ordinal);
        Assert.Contains("holding 10 = 77", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scan_FindsTheAnsweringUnitsAndTheReadableRangesWithExceptionCodes()
    {
        var (code, output, error) = await RunAsync("modbus", "scan", _server.Endpoint, "--units", "1-6", "--tables", "holding,input",
            "--from", "0", "--to", "19", "--block", "8", "--timeout", "300");
        Assert.True(code == 0, error);
        Assert.Contains("unit 1: answers", output, StringComparison.Ordinal);
        Assert.Contains("unit 5: answers", output, StringComparison.Ordinal);
        Assert.DoesNotContain("unit 2: answers", output, StringComparison.Ordinal);
        Assert.Contains("unit 1 holding 0..3: readable", output, StringComparison.Ordinal);
        Assert.Contains("unit 1 holding 4..9: exception 2 IllegalDataAddress", output, StringComparison.Ordinal);
        Assert.Contains("unit 1 holding 10..12: readable", output, StringComparison.Ordinal);
        Assert.Contains("unit 1 holding 13..19: exception 2 IllegalDataAddress", output, StringComparison.Ordinal);
        Assert.Contains("unit 1 input 0..19: exception 2 IllegalDataAddress", output, StringComparison.Ordinal);
        Assert.Contains("unit 5 holding 0..0: readable", output, StringComparison.Ordinal);
    }
}
