using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using EdgeOps.Benchmarks.Historian;
using EdgeOps.Core.Model;
using EdgeOps.Core.Signals;
using EdgeOps.Sources.Modbus;
using EdgeOps.TestSupport.Modbus;
using EdgeOps.TestSupport.Processes;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeOps.Benchmarks.Modbus;

/// <summary>
/// Load harness (not BenchmarkDotNet: the device is a separate process): registers per second and CPU per register
/// polling D devices × R registers at an interval from Debian's pymodbus server (one unit id per device, one TCP
/// connection per device), measured in one run two ways against the same server: the whole source path
/// (<see cref="ModbusSignalSource"/> per device, signals into a channel drained as the engine drains it), then
/// pymodbus's own client (ModbusTcpClient, one per device) reading the same map at the same interval.
/// <c>dotnet run -c Release --project tests/EdgeOps.Benchmarks -- modbus-poll [devices=10] [registers=100] [intervalMs=100] [seconds=20]</c>
/// </summary>
public static class ModbusPollHarness
{
    private const string PymodbusClient = """
        import sys, time
        from pymodbus.client import ModbusTcpClient
        port, devices, registers, interval, seconds = (int(a) for a in sys.argv[1:6])
        clients = [ModbusTcpClient("127.0.0.1", port=port) for _ in range(devices)]
        for c in clients:
            c.connect()
        count = 0
        cpu = time.process_time()
        start = time.monotonic()
        deadline = start + seconds
        tick = start
        while time.monotonic() < deadline:
            for unit, c in enumerate(clients, start=1):
                r = c.read_holding_registers(0, registers, slave=unit)
                if not r.isError():
                    count += len(r.registers)
            tick += interval / 1000.0
            pause = tick - time.monotonic()
            if pause > 0:
                time.sleep(pause)
        print("REGISTERS", count, time.monotonic() - start, time.process_time() - cpu, flush=True)
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        int Arg(int i, int fallback) => args.Length > i ? int.Parse(args[i], CultureInfo.InvariantCulture) : fallback;
        var devices = Arg(0, 10);
        var registers = Arg(1, 100);
        var interval = Arg(2, 100);
        var seconds = Arg(3, 20);
        await using var server = new ModbusTestServer();
        for (var unit = 1; unit <= devices; unit++)
        {
            server.Map.Unit((byte)unit).SetHolding(0, [.. Enumerable.Range(0, registers).Select(i => (ushort)(unit * 1000 + i))]);
        }

        Console.WriteLine($"starting pymodbus with {devices} unit ids × {registers} holding registers...");
        await server.StartAsync();
        var ours = await MeasureSourcesAsync(server, devices, registers, interval, seconds);
        Console.WriteLine(Format("ModbusSignalSource x devices -> pipe", ours));
        var theirs = await MeasurePymodbusAsync(server, devices, registers, interval, seconds);
        Console.WriteLine(Format("pymodbus ModbusTcpClient            ", theirs));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"offered: {devices * registers * 1000.0 / interval:N0} registers/s; CPU per register: EdgeOps {PerRegister(ours):0.00} µs, pymodbus {PerRegister(theirs):0.00} µs; server CPU {ServerCpu(server):0.0} s in all; load average {LoadAverage()}"));
        return 0;
    }

    private sealed record Result(long Registers, double Seconds, double CpuMs);

    private static double PerRegister(Result r) => r.CpuMs * 1000 / Math.Max(1, r.Registers);

    private static double ServerCpu(ModbusTestServer server) => ProcessCpu.Of(server.Pid)?.TotalSeconds ?? double.NaN;

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";

    private static string Format(string who, Result r) => string.Create(CultureInfo.InvariantCulture,
        $"{who}: {r.Registers / r.Seconds,10:N0} registers/s  CPU {r.CpuMs / r.Seconds / 10,5:0.00} % of one core");

    private static async Task<Result> MeasureSourcesAsync(ModbusTestServer server, int devices, int registers, int interval, int seconds)
    {
        var deviceList = Enumerable.Range(1, devices).Select(unit => new ModbusDeviceDefinition
        {
            Name = "d" + unit.ToString(CultureInfo.InvariantCulture),
            Host = server.Host,
            Port = server.Port,
            UnitId = (byte)unit,
            PollInterval = TimeSpan.FromMilliseconds(interval),
        }).ToList();
        var machines = deviceList.Select(d => new MachineDefinition
        {
            Id = "m-" + d.Name,
            IdealCycleTime = TimeSpan.FromSeconds(1),
            Signals = [.. Enumerable.Range(0, registers).Select(a => new SignalDefinition
            {
                Name = "r" + a.ToString(CultureInfo.InvariantCulture),
                Role = SignalRole.Analog,
                Source = new ModbusBinding { Device = d.Name, Table = "holding", Address = a, Type = "uint16" },
            })],
        }).ToList();
        var catalog = new SignalCatalog(new LineDefinition
        {
            Site = "s",
            Area = "a",
            Line = "l",
            TimeZone = "UTC",
            Shifts = [],
            Machines = machines,
            Sources = new SourcesDefinition { Modbus = new ModbusSourceDefinition { Devices = deviceList } },
        });
        var sources = deviceList.Select(d => new ModbusSignalSource(d, catalog, NullLogger<ModbusSignalSource>.Instance)).ToList();
        var pipe = Channel.CreateBounded<Signal>(new BoundedChannelOptions(100_000) { SingleReader = true });
        long count = 0;
        using var stop = new CancellationTokenSource();
        var drain = Task.Run(async () =>
        {
            // Drained in batches, as the engine loop drains its pipe.
            while (await pipe.Reader.WaitToReadAsync(CancellationToken.None))
            {
                while (pipe.Reader.TryRead(out var signal))
                {
                    if (signal.Quality == SignalQuality.Good)
                    {
                        count++;
                    }
                }
            }
        });
        var runs = sources.Select(s => s.RunAsync(pipe.Writer, stop.Token)).ToList();

        // Warm-up (connect, JIT), then measure.
        await Task.Delay(TimeSpan.FromSeconds(2));
        var process = Process.GetCurrentProcess();
        process.Refresh();
        var cpuBefore = process.TotalProcessorTime;
        var before = Interlocked.Read(ref count);
        var watch = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(seconds));
        process.Refresh();
        var cpu = (process.TotalProcessorTime - cpuBefore).TotalMilliseconds;
        var values = Interlocked.Read(ref count) - before;
        var elapsed = watch.Elapsed.TotalSeconds;
        await stop.CancelAsync();
        await Task.WhenAll(runs);
        pipe.Writer.Complete();
        await drain;
        foreach (var source in sources)
        {
            await source.DisposeAsync();
        }

        return new Result(values, elapsed, cpu);
    }

    private static async Task<Result> MeasurePymodbusAsync(ModbusTestServer server, int devices, int registers, int interval, int seconds)
    {
        var script = Path.Combine(Path.GetTempPath(), $"edgeops-pymodbus-client-{Guid.NewGuid():N}.py");
        await File.WriteAllTextAsync(script, PymodbusClient);
        try
        {
            using var client = ManagedProcess.Start(ModbusTestServer.Python,
                [script, .. new[] { server.Port, devices, registers, interval, seconds }.Select(n => n.ToString(CultureInfo.InvariantCulture))]);
            await client.WaitForOutputAsync("REGISTERS", TimeSpan.FromSeconds(seconds + 60));
            var line = client.Output.Split('\n').Last(l => l.StartsWith("REGISTERS", StringComparison.Ordinal)).Split(' ');

            // CPU of the polling loop alone (time.process_time: user + system of the interpreter), as ours excludes its warm-up.
            return new Result(long.Parse(line[1], CultureInfo.InvariantCulture), double.Parse(line[2], CultureInfo.InvariantCulture),
                double.Parse(line[3], CultureInfo.InvariantCulture) * 1000);
        }
        finally
        {
            File.Delete(script);
        }
    }
}
