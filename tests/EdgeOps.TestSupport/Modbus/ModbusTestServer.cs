using System.Globalization;
using EdgeOps.TestSupport.Processes;
using Xunit;

namespace EdgeOps.TestSupport.Modbus;

/// <summary>
/// A real Modbus TCP server: Debian's python3-pymodbus (3.0) run by /usr/bin/python3 on a free 127.0.0.1 port, serving
/// the test's <see cref="ModbusRegisterMap"/>. The fixture writes the server script and the map to a temp folder,
/// waits until the port listens, and stops the server by PID. <see cref="Kill"/> and <see cref="StartAsync"/>
/// restart it on the same port with whatever the map holds then, as a PLC that kept its values would.
/// Unit ids not in the map get no answer at all (pymodbus ignores them), as behind a gateway with nothing there.
/// </summary>
public sealed class ModbusTestServer : IAsyncDisposable
{
    /// <summary>The interpreter that has Debian's pymodbus: the python3 first on PATH may be another one.</summary>
    public const string Python = "/usr/bin/python3";

    private const string Script = """
        import asyncio, json, logging, sys
        logging.disable(logging.CRITICAL)
        from pymodbus.server import StartAsyncTcpServer
        from pymodbus.datastore import ModbusSlaveContext, ModbusServerContext, ModbusSparseDataBlock

        def block(table):
            values = {int(k): v for k, v in table.items()}
            # An empty sparse block would accept nothing at all, which is what an empty table means; address 65535
            # keeps the block valid without mapping anything a test reads.
            return ModbusSparseDataBlock(values or {65535: 0})

        port = int(sys.argv[1])
        with open(sys.argv[2]) as f:
            spec = json.load(f)
        slaves = {}
        for unit, tables in spec["units"].items():
            slaves[int(unit)] = ModbusSlaveContext(
                hr=block(tables["hr"]), ir=block(tables["ir"]), co=block(tables["co"]), di=block(tables["di"]), zero_mode=True)
        context = ModbusServerContext(slaves=slaves, single=False)

        async def main():
            print("READY", flush=True)
            await StartAsyncTcpServer(context=context, address=("127.0.0.1", port), allow_reuse_address=True)

        asyncio.run(main())
        """;

    private readonly string _folder = Directory.CreateTempSubdirectory("edgeops-modbus-").FullName;
    private ManagedProcess? _process;

    public ModbusTestServer(ModbusRegisterMap? map = null)
    {
        Map = map ?? new ModbusRegisterMap();
        Port = FreePort.Next();
    }

    /// <summary>What the server serves from its next start.</summary>
    public ModbusRegisterMap Map { get; }

    public int Port { get; }

    public string Host => "127.0.0.1";

    /// <summary>host:port for the CLI.</summary>
    public string Endpoint => "127.0.0.1:" + Port.ToString(CultureInfo.InvariantCulture);

    public int? Pid => _process?.Pid;

    public string Output => _process?.Output ?? string.Empty;

    /// <summary>Starts (or restarts) the server with the current <see cref="Map"/> and waits until it accepts connections.</summary>
    public async Task StartAsync()
    {
        if (!File.Exists(Python))
        {
            throw new InvalidOperationException($"{Python} not found: the Modbus tests need Debian's python3 with python3-pymodbus (./test.sh installs it).");
        }

        var script = Path.Combine(_folder, "server.py");
        var map = Path.Combine(_folder, "map.json");
        await File.WriteAllTextAsync(script, Script);
        await File.WriteAllTextAsync(map, Map.ToJson());
        _process?.Dispose();
        _process = ManagedProcess.Start(Python, [script, Port.ToString(CultureInfo.InvariantCulture), map], _folder);
        try
        {
            await _process.WaitForOutputAsync("READY", TimeSpan.FromSeconds(60));
            await FreePort.WaitUntilListeningAsync(Port, TimeSpan.FromSeconds(60), () => "pymodbus output: " + _process.Output);
        }
        catch
        {
            _process.Dispose();
            _process = null;
            throw;
        }
    }

    /// <summary>SIGKILL: the device vanishes without closing its connections, like a PLC losing power.</summary>
    public void Kill() => _process?.Kill();

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.StopAsync(TimeSpan.FromSeconds(5));
            _process.Dispose();
            _process = null;
        }

        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Temp folder; best effort.
        }
    }
}
