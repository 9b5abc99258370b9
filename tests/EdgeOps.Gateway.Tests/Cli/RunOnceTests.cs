using System.Globalization;
using System.Text.Json;
using EdgeOps.TestSupport;
using EdgeOps.TestSupport.Gateway;
using EdgeOps.TestSupport.Modbus;
using EdgeOps.TestSupport.OpcUa;
using EdgeOps.TestSupport.Processes;

namespace EdgeOps.Gateway.Tests.Cli;

/// <summary>
/// <c>edgeops run --once</c>, the commissioning dry run, through the real executable against real servers (Debian's
/// pymodbus, node-opcua) with the shipped line files pointed at them: it prints every signal with its value, quality
/// and source, and the MQTT messages the gateway would publish, and exits 0; with a source unreachable it exits 1
/// naming that source. No broker is involved.
/// </summary>
public sealed class RunOnceTests : IAsyncLifetime
{
    private const uint Counter = 70_123;
    private const string PlcPassword = "Pr3ss-Xq7-line2";
    private readonly string _data = Directory.CreateTempSubdirectory("edgeops-run-once-").FullName;
    private readonly ModbusTestServer _modbus = new();

    public Task InitializeAsync()
    {
        _modbus.Map.Unit(1).SetHolding(0, unchecked((ushort)Counter), (ushort)(Counter >> 16)); // 32-bit counter, low word first
        _modbus.Map.Unit(1).SetHolding(10, 0b01); // status word: running
        _modbus.Map.Unit(1).SetInput(20, 0x41AC, 0x0000); // float32 21.5 °C
        return _modbus.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _modbus.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }

    [Fact]
    public async Task Once_OnTheModbusLine_PrintsEverySignalAndTheMessagesItWouldPublish_AndExitsZero()
    {
        var config = await ModbusLineAsync(_modbus.Port);

        var (code, output) = await RunAsync("run", "--once", "--config", config, "--data", _data);

        Assert.True(code == 0, output);
        Assert.Matches(@"filler/bottles +70123  Good  modbus:plc1  \d{4}-\d\d-\d\dT", output);
        Assert.Matches(@"filler/status +1  Good  modbus:plc1", output);
        Assert.Matches(@"filler/product-temp +21\.5  Good  modbus:plc1", output);

        var prefix = "edgeops/v1/plant-leipzig/filling/filler-1/filler/";
        using var state = Message(output, prefix + "state (retained)");
        Assert.Equal("running", state.RootElement.GetProperty("state").GetString());
        using var counts = Message(output, prefix + "counts (retained)");
        // A totalizer's first reading is its baseline: nothing is counted from a single read.
        Assert.Equal(0, counts.RootElement.GetProperty("lifetime").GetProperty("total").GetInt64());
        Assert.Contains(prefix + "kpi (retained) {", output, StringComparison.Ordinal);

        // A dry run leaves nothing behind: no outbox, no checkpoint.
        Assert.False(File.Exists(Path.Combine(_data, "outbox.db")), "run --once wrote an outbox");
        Assert.False(File.Exists(Path.Combine(_data, "engine.db")), "run --once wrote a checkpoint");
    }

    [Fact]
    public async Task Once_WithTheDeviceUnreachable_ExitsOneNamingTheSource()
    {
        var config = await ModbusLineAsync(FreePort.Next());

        var (code, output) = await RunAsync("run", "--once", "--config", config, "--data", _data, "--timeout", "3s");

        Assert.True(code == 1, output);
        // Refused connections make the source mark its signals bad (or, on a slow start, give nothing within the 3 s).
        Assert.Matches(@"edgeops run --once: modbus:plc1 could not be read: (bad quality|no value) for filler/bottles, filler/status, filler/product-temp", output);
        Assert.Contains("connect failed", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Once_OnTheOpcUaLine_ReadsTheServerOnce_AndNamesABadNode()
    {
        await using var server = new OpcUaTestServer(new OpcUaTestServerOptions { Counters = 1, Users = ["alice:" + PlcPassword] });
        await server.StartAsync();
        var shipped = await File.ReadAllTextAsync(RepoPaths.File("firmware-config", "lines", "opcua-press.yaml"));
        var config = Path.Combine(_data, "opcua-press.yaml");
        var patched = shipped
            .Replace("opc.tcp://10.0.0.5:4840/UA/EdgeOps", server.EndpointUrl, StringComparison.Ordinal)
            .Replace("urn:plc1:app", server.NamespaceUri, StringComparison.Ordinal)
            // node-opcua's certificate names the machine, not the 127.0.0.1 the test dials.
            .Replace("securityPolicy: Basic256Sha256", "securityPolicy: Basic256Sha256\n        checkServerHostName: false", StringComparison.Ordinal);
        await File.WriteAllTextAsync(config, patched);
        var environment = new Dictionary<string, string?> { ["EDGEOPS_PLC1_USER"] = "alice", ["EDGEOPS_PLC1_PASSWORD"] = PlcPassword };
        var (trust, trustOutput) = await RunAsync(["opcua", "trust", server.EndpointUrl, "--yes", "--data", _data]);
        Assert.True(trust == 0, trustOutput);

        var (code, output) = await RunAsync(["run", "--once", "--config", config, "--data", _data], environment);

        Assert.True(code == 0, output);
        Assert.Matches(@"press/strokes +\d+  Good  opcua:plc1", output);
        Assert.Matches(@"press/running +1  Good  opcua:plc1", output);
        Assert.Contains("edgeops/v1/plant-leipzig/press-shop/press-2/press/state (retained) {", output, StringComparison.Ordinal);

        // A node the server does not have: its source is named, with the signal.
        await File.WriteAllTextAsync(config, patched.Replace("s=Counter.0", "s=NoSuchNode", StringComparison.Ordinal));
        (code, output) = await RunAsync(["run", "--once", "--config", config, "--data", _data, "--timeout", "5s"], environment);
        Assert.True(code == 1, output);
        Assert.Contains("edgeops run --once: opcua:plc1", output, StringComparison.Ordinal);
        Assert.Contains("press/strokes", output, StringComparison.Ordinal);
    }

    private static JsonDocument Message(string output, string topic)
    {
        var line = output.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith(topic + " {", StringComparison.Ordinal))
            ?? throw new Xunit.Sdk.XunitException($"no message on {topic} in:\n{output}");
        return JsonDocument.Parse(line[(topic.Length + 1)..]);
    }

    private async Task<string> ModbusLineAsync(int port)
    {
        var shipped = await File.ReadAllTextAsync(RepoPaths.File("firmware-config", "lines", "modbus-filler.yaml"));
        var config = Path.Combine(_data, "modbus-filler.yaml");
        await File.WriteAllTextAsync(config, shipped
            .Replace("host: 10.0.0.7", "host: 127.0.0.1", StringComparison.Ordinal)
            .Replace("port: 502", "port: " + port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal));
        return config;
    }

    private static Task<(int Code, string Output)> RunAsync(params string[] arguments) => RunAsync(arguments, null);

    private static async Task<(int Code, string Output)> RunAsync(string[] arguments, IDictionary<string, string?>? environment)
    {
        using var process = ManagedProcess.Start("dotnet", [GatewayProcess.DllPath, .. arguments], RepoPaths.Root, environment);
        await process.WaitForExitAsync(TimeSpan.FromSeconds(120));
        return (process.ExitCode, process.Output);
    }
}
