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
/// connection per device), measured in one run three ways against the same server, each after a 10 s warm-up: our client alone (one
/// <c>ModbusClient</c> per device, read and decode, as pymodbus's client is measured), the whole source path
/// (<see cref="ModbusSignalSource"/> per device, signals into a channel drained as the engine drains it), then
/// pymodbus's own client (ModbusTcpClient, one per device) reading the same map at the same interval.
/// <c>dotnet run -c Release --project tests/EdgeOps.Benchmarks -- modbus-poll [devices=10] [registers=100] [intervalMs=100] [seconds=20] [paths=client,source,pymodbus]</c>
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

        var paths = args.Length > 4 ? args[4].Split(',') : ["client", "source", "pymodbus"];
        Console.WriteLine($"starting pymodbus with {devices} unit ids × {registers} holding registers...");
        await server.StartAsync();
        var client = paths.Contains("client") ? await MeasureClientsAsync(server, devices, registers, interval, seconds) : null;
        Console.WriteLine(Format("EdgeOps.Modbus ModbusClient         ", client));
        var ours = paths.Contains("source") ? await MeasureSourcesAsync(server, devices, registers, interval, seconds) : null;
        Console.WriteLine(Format("ModbusSignalSource x devices -> pipe", ours));
        var theirs = paths.Contains("pymodbus") ? await MeasurePymodbusAsync(server, devices, registers, interval, seconds) : null;
        Console.WriteLine(Format("pymodbus ModbusTcpClient            ", theirs));
        Console.WriteLine($"dynamic PGO: {(Environment.GetEnvironmentVariable("DOTNET_TieredPGO") == "0" ? "off (DOTNET_TieredPGO=0, as AOT)" : "on (the JIT's default)")}");
        Console.WriteLine($"poll timer: {(Environment.GetEnvironmentVariable("EDGEOPS_POLL_TIMER") == "runtime" ? "runtime timer" : "scheduler thread")}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"thread pool spin limit: {AppContext.GetData("System.Threading.ThreadPool.UnfairSemaphoreSpinLimit") ?? Environment.GetEnvironmentVariable("DOTNET_ThreadPool_UnfairSemaphoreSpinLimit") ?? "default (70)"}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"offered: {devices * registers * 1000.0 / interval:N0} registers/s; CPU per register: EdgeOps client {PerRegister(client):0.00} µs, source path {PerRegister(ours):0.00} µs, pymodbus client {PerRegister(theirs):0.00} µs; server CPU {ServerCpu(server):0.0} s in all; load average {LoadAverage()}"));
        return 0;
    }

    /// <summary>The gateway's scheduler (its own thread); EDGEOPS_POLL_TIMER=runtime puts it on a runtime timer instead, to compare.</summary>
    private static EdgeOps.Sources.PollScheduler NewScheduler() =>
        new(TimeProvider.System, ownThread: Environment.GetEnvironmentVariable("EDGEOPS_POLL_TIMER") != "runtime");

    private sealed record Result(long Registers, double Seconds, double CpuMs);

    private static double PerRegister(Result? r) => r is null ? double.NaN : r.CpuMs * 1000 / Math.Max(1, r.Registers);

    private static double ServerCpu(ModbusTestServer server) => ProcessCpu.Of(server.Pid)?.TotalSeconds ?? double.NaN;

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";

    private static string Format(string who, Result? r) => r is null
        ? $"{who}: not measured"
        : string.Create(CultureInfo.InvariantCulture, $"{who}: {r.Registers / r.Seconds,10:N0} registers/s  CPU {r.CpuMs / r.Seconds / 10,5:0.00} % of one core");

    /// <summary>The client alone, as pymodbus's is measured: one per device, a read of all registers per interval (on the source's schedule), decoded.</summary>
    private static async Task<Result> MeasureClientsAsync(ModbusTestServer server, int devices, int registers, int interval, int seconds)
    {
        long count = 0;
        using var stop = new CancellationTokenSource();

        // One timer for all devices, as the gateway's Modbus sources share one.
        var scheduler = NewScheduler();
        var loops = Enumerable.Range(1, devices).Select(unit => Task.Run(async () =>
        {
            await using var client = new EdgeOps.Modbus.ModbusClient(new EdgeOps.Modbus.ModbusClientOptions { Host = server.Host, Port = server.Port });
            var buffer = new ushort[registers];
            var period = TimeSpan.FromMilliseconds(interval);
            var tick = DateTimeOffset.UtcNow;
            try
            {
                while (true)
                {
                    await client.ReadRegistersAsync(EdgeOps.Modbus.ModbusTable.HoldingRegister, (byte)unit, 0, buffer, stop.Token);
                    var sum = 0.0;
                    for (var i = 0; i < buffer.Length; i++)
                    {
                        sum += EdgeOps.Modbus.ModbusValueCodec.Decode(buffer.AsSpan(i, 1), EdgeOps.Modbus.ModbusDataType.UInt16);
                    }

                    Interlocked.Add(ref count, sum >= 0 ? buffer.Length : 0);

                    // On the source's schedule (every device at the same instants, one shared timer), as the gateway polls.
                    tick = ModbusSignalSource.NextPoll(DateTimeOffset.UtcNow, tick, period);
                    await scheduler.WaitUntilAsync(tick, stop.Token);
                }
            }
            catch (OperationCanceledException)
            {
                // Measured.
            }
        })).ToList();
        var result = await MeasureAsync(() => Interlocked.Read(ref count), seconds);
        await stop.CancelAsync();
        await Task.WhenAll(loops);
        return result;
    }

    /// <summary>Warm-up (connect, JIT and its tiering), then this process's CPU and the count over <paramref name="seconds"/>.</summary>
    private static async Task<Result> MeasureAsync(Func<long> count, int seconds)
    {
        // 10 s: at 100 requests/s the JIT's tiering (call counting, then the optimized rewrite on its own thread) is
        // still going after 5 s, and the gateway, compiled ahead of time, never pays it.
        // The measuring code is warmed up too: first called at the window's start, its /proc reads were JIT-compiled
        // and then recompiled (tier 1) inside the window, tens of ms charged to the path measured.
        for (var i = 0; i < 40; i++)
        {
            var snapshot = ThreadCpu.Snapshot();
            _ = ThreadCpu.Breakdown(snapshot, ThreadCpu.Snapshot()) + ThreadCpu.ProcessTime() + GC.GetTotalAllocatedBytes(precise: true);
            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }

        await Task.Delay(TimeSpan.FromSeconds(6));
        var process = Process.GetCurrentProcess();
        process.Refresh();
        var threadsBefore = ThreadCpu.Snapshot();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var gcBefore = GC.CollectionCount(0);
        var jitMethodsBefore = System.Runtime.JitInfo.GetCompiledMethodCount();
        var jitTimeBefore = System.Runtime.JitInfo.GetCompilationTime();
        var cpuBefore = process.TotalProcessorTime;
        var clockBefore = ThreadCpu.ProcessTime();
        var before = count();
        var watch = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(seconds));
        process.Refresh();
        var cpuProc = (process.TotalProcessorTime - cpuBefore).TotalMilliseconds;
        var cpu = (ThreadCpu.ProcessTime() - clockBefore).TotalMilliseconds;
        var registers = count() - before;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;

        // The JIT still compiling in the window (with dynamic PGO it recompiles hot code late) is CPU the AOT gateway
        // never spends: shown, so a figure that includes it is not mistaken for the steady state.
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  JIT in the window: {System.Runtime.JitInfo.GetCompiledMethodCount() - jitMethodsBefore} methods (after {jitMethodsBefore}), {(System.Runtime.JitInfo.GetCompilationTime() - jitTimeBefore).TotalMilliseconds:0.0} ms"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  CPU {cpu:0.0} ms by CLOCK_PROCESS_CPUTIME_ID ({cpuProc:0} ms by /proc utime+stime); allocated {allocated / Math.Max(1.0, registers):0.0} B/register, {GC.CollectionCount(0) - gcBefore} gen0 GCs; CPU by thread: {ThreadCpu.Breakdown(threadsBefore, ThreadCpu.Snapshot())}"));
        return new Result(registers, watch.Elapsed.TotalSeconds, cpu);
    }

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
        var scheduler = NewScheduler();
        var sources = deviceList.Select(d => new ModbusSignalSource(d, catalog, NullLogger<ModbusSignalSource>.Instance, scheduler: scheduler)).ToList();
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

        var result = await MeasureAsync(() => Interlocked.Read(ref count), seconds);
        await stop.CancelAsync();
        await Task.WhenAll(runs);
        pipe.Writer.Complete();
        await drain;
        foreach (var source in sources)
        {
            await source.DisposeAsync();
        }

        return result;
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
