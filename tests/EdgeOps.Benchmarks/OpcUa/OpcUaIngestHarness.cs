using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using EdgeOps.Core.Model;
using EdgeOps.Core.Signals;
using EdgeOps.OpcUa.Client;
using EdgeOps.OpcUa.Security;
using EdgeOps.OpcUa.Subscriptions;
using EdgeOps.OpcUa.Types;
using EdgeOps.Sources.OpcUa;
using EdgeOps.TestSupport.OpcUa;
using EdgeOps.TestSupport.Processes;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeOps.Benchmarks.OpcUa;

/// <summary>
/// Load harness (not BenchmarkDotNet: the load comes from a separate server process): values per second ingested
/// from node-opcua with N monitored items at a sampling interval, with the CPU time and resident memory of this
/// process, measured three ways in one run against the same server: our client with its batch handler
/// (<see cref="SubscriptionOptions.ValueHandler"/>), the whole source path (<see cref="OpcUaSignalSource"/> into a
/// bounded signal pipe drained in batches the way the engine loop drains it), then node-opcua's own client
/// (tests/opcua-server/client-bench.js) making the same subscription; then both clients again over Basic256Sha256
/// SignAndEncrypt (every chunk AES-CBC encrypted and HMAC-SHA256 signed), so the cost of security is measured in the
/// same run against the same server.
/// <c>dotnet run -c Release --project tests/EdgeOps.Benchmarks -- opcua-ingest [items=10000] [seconds=20] [samplingMs=100]</c>
/// </summary>
public static class OpcUaIngestHarness
{
    public static async Task<int> RunAsync(string[] args)
    {
        var items = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
        var seconds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20;
        var sampling = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 100;
        await using var server = new OpcUaTestServer(new OpcUaTestServerOptions { Counters = items, CounterInterval = TimeSpan.FromMilliseconds(sampling) });
        Console.WriteLine($"starting node-opcua with {items} counters every {sampling} ms...");
        await server.StartAsync();

        var ours = await MeasureOursAsync(server, items, seconds, sampling);
        Console.WriteLine(Format("EdgeOps.OpcUa client (batch handler)", ours));
        var source = await MeasureSourceAsync(server, items, seconds, sampling);
        Console.WriteLine(Format("OpcUaSignalSource -> engine pipe    ", source));
        var theirs = await MeasureNodeOpcuaAsync(server, items, seconds, sampling, "None", "None");
        Console.WriteLine(Format("node-opcua client                   ", theirs));
        var oursSecure = await MeasureOursAsync(server, items, seconds, sampling, secure: true);
        Console.WriteLine(Format("EdgeOps.OpcUa client SignAndEncrypt ", oursSecure));
        var theirsSecure = await MeasureNodeOpcuaAsync(server, items, seconds, sampling, "SignAndEncrypt", "Basic256Sha256");
        Console.WriteLine(Format("node-opcua client SignAndEncrypt    ", theirsSecure));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"offered by the server: up to {items * 1000.0 / sampling:N0} changes/s; CPU per value: EdgeOps client {PerValue(ours):0.00} µs, source+pipe {PerValue(source):0.00} µs, node-opcua {PerValue(theirs):0.00} µs; load average {LoadAverage()}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Basic256Sha256 SignAndEncrypt, CPU per value: EdgeOps client {PerValue(oursSecure):0.00} µs ({PerValue(oursSecure) / PerValue(ours):0.00}× its None; target ≤ 1.5×), node-opcua {PerValue(theirsSecure):0.00} µs ({PerValue(theirsSecure) / PerValue(theirs):0.00}× its None); load average {LoadAverage()}"));
        return 0;
    }

    private static double PerValue(Result r) => r.CpuMs * 1000 / Math.Max(1, r.Values);

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";

    private sealed record Result(long Values, double Seconds, double CpuMs, double RssMb);

    private static string Format(string who, Result r) => string.Create(CultureInfo.InvariantCulture,
        $"{who}: {r.Values / r.Seconds,10:N0} values/s  CPU {r.CpuMs / r.Seconds / 10,5:0.0} % of one core  RSS {r.RssMb:0} MB");

    private static async Task<Result> MeasureOursAsync(OpcUaTestServer server, int items, int seconds, int sampling, bool secure = false)
    {
        var options = new OpcUaClientOptions { EndpointUrl = server.EndpointUrl, SecurityMode = MessageSecurity.None };
        var pkiRoot = Path.Combine(Path.GetTempPath(), "edgeops-bench-pki-" + Guid.NewGuid().ToString("N"));
        ApplicationCertificate? certificate = null;
        if (secure)
        {
            // Trust the server's certificate first, as an operator does once with `edgeops opcua trust`.
            var pki = new PkiStore(pkiRoot);
            certificate = ApplicationCertificate.LoadOrCreate(pki, TimeSpan.FromDays(1));
            foreach (var serverCertificate in OpcUaDiscovery.ServerCertificates(await OpcUaDiscovery.GetEndpointsAsync(server.EndpointUrl, TimeSpan.FromSeconds(30))))
            {
                pki.Trust(serverCertificate.RawData);
            }

            options = options with
            {
                SecurityMode = MessageSecurity.SignAndEncrypt,
                SecurityPolicy = "Basic256Sha256",
                Certificate = certificate,
                Pki = pki,
                CheckServerHostName = false, // node-opcua's certificate names the machine, not 127.0.0.1
            };
        }

        try
        {
            return await MeasureOursAsync(server, options, items, seconds, sampling);
        }
        finally
        {
            certificate?.Dispose();
            if (Directory.Exists(pkiRoot))
            {
                Directory.Delete(pkiRoot, recursive: true);
            }
        }
    }

    private static async Task<Result> MeasureOursAsync(OpcUaTestServer server, OpcUaClientOptions options, int items, int seconds, int sampling)
    {
        await using var client = new OpcUaClient(options);
        await client.ConnectAsync();
        if (client.SecurityMode != options.SecurityMode)
        {
            throw new InvalidOperationException($"connected with {client.SecurityMode}, not {options.SecurityMode}");
        }

        var ns = (ushort)client.NamespaceIndex(server.NamespaceUri);
        long count = 0;
        var subscription = await client.CreateSubscriptionAsync(new SubscriptionOptions
        {
            PublishingInterval = TimeSpan.FromMilliseconds(sampling),
            ValueHandler = (values, ct) =>
            {
                var n = 0;
                foreach (ref readonly var v in values.Span)
                {
                    if (v.Value.TryGetDouble(out _))
                    {
                        n++;
                    }
                }

                Interlocked.Add(ref count, n);
                return ValueTask.CompletedTask;
            },
        });
        var results = await subscription.AddItemsAsync([.. Enumerable.Range(0, items).Select(i => new MonitoredItemRequest
        {
            ClientHandle = (uint)i,
            NodeId = NodeId.FromString($"Counter.{i}", ns),
            SamplingInterval = TimeSpan.FromMilliseconds(sampling),
            QueueSize = 10,
        })]);
        if (results.Any(r => r.Status.IsBad))
        {
            throw new InvalidOperationException($"{results.Count(r => r.Status.IsBad)} items failed.");
        }

        return await MeasureWindowAsync(() => Interlocked.Read(ref count), seconds);
    }

    private static async Task<Result> MeasureSourceAsync(OpcUaTestServer server, int items, int seconds, int sampling)
    {
        const int perMachine = 100;
        var machines = Enumerable.Range(0, (items + perMachine - 1) / perMachine).Select(m => new MachineDefinition
        {
            Id = $"m{m}",
            IdealCycleTime = TimeSpan.FromSeconds(1),
            Signals = [.. Enumerable.Range(m * perMachine, Math.Min(perMachine, items - m * perMachine)).Select(i => new SignalDefinition
            {
                Name = $"c{i}",
                Role = SignalRole.Total,
                CountMode = CountMode.Totalizer,
                Source = new OpcUaBinding { Endpoint = "bench", Node = $"ns=1;s=Counter.{i}", NamespaceUri = server.NamespaceUri },
            })],
        }).ToList();
        var catalog = new SignalCatalog(new LineDefinition { Site = "s", Area = "a", Line = "bench", TimeZone = "UTC", Shifts = [], Machines = machines });
        var endpoint = new OpcUaEndpointDefinition
        {
            Name = "bench",
            Url = server.EndpointUrl,
            PublishingInterval = TimeSpan.FromMilliseconds(sampling),
            SamplingInterval = TimeSpan.FromMilliseconds(sampling),
        };
        var source = new OpcUaSignalSource(endpoint, catalog, NullLogger<OpcUaSignalSource>.Instance);

        // The gateway's SignalPipe: bounded 65,536, single reader, drained in batches after each wake-up.
        var pipe = Channel.CreateBounded<Signal>(new BoundedChannelOptions(65_536) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });
        long count = 0;
        using var stop = new CancellationTokenSource();
        var engine = Task.Run(async () =>
        {
            try
            {
                while (await pipe.Reader.WaitToReadAsync(stop.Token))
                {
                    var n = 0;
                    while (n < 4096 && pipe.Reader.TryRead(out var signal))
                    {
                        if (signal.Quality == SignalQuality.Good)
                        {
                            n++;
                        }
                    }

                    Interlocked.Add(ref count, n);
                }
            }
            catch (OperationCanceledException)
            {
                // Measurement over.
            }
        });
        var run = source.RunAsync(pipe.Writer, stop.Token);
        var started = Stopwatch.StartNew();
        while (Interlocked.Read(ref count) < items && started.Elapsed < TimeSpan.FromSeconds(120))
        {
            await Task.Delay(100); // until the initial values of every item are in
        }

        var result = await MeasureWindowAsync(() => Interlocked.Read(ref count), seconds);
        await stop.CancelAsync();
        try
        {
            await run;
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }

        await engine;
        return result;
    }

    private static async Task<Result> MeasureWindowAsync(Func<long> count, int seconds)
    {
        await Task.Delay(5000); // warm-up: initial values and JIT (tier-1 recompilation)
        using var process = Process.GetCurrentProcess();
        var cpu0 = process.TotalProcessorTime;
        var start = Stopwatch.GetTimestamp();
        var c0 = count();
        await Task.Delay(TimeSpan.FromSeconds(seconds));
        var values = count() - c0;
        var elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
        process.Refresh();
        var cpu = (process.TotalProcessorTime - cpu0).TotalMilliseconds;
        var rss = process.WorkingSet64 / 1024.0 / 1024.0;
        return new Result(values, elapsed, cpu, rss);
    }

    private static async Task<Result> MeasureNodeOpcuaAsync(OpcUaTestServer server, int items, int seconds, int sampling, string mode, string policy)
    {
        var node = ManagedProcess.Require("node", "Install Node.js.");
        var dir = OpcUaTestServer.ScriptDirectory();
        using var process = ManagedProcess.Start(node, [Path.Combine(dir, "client-bench.js"), server.EndpointUrl, Str(items), Str(seconds), Str(sampling), mode, policy], dir);
        await process.WaitForOutputAsync("\"values\"", TimeSpan.FromSeconds(seconds + 120));
        var line = process.Output.Split('\n').First(l => l.Contains("\"values\"", StringComparison.Ordinal));
        using var json = JsonDocument.Parse(line);
        var root = json.RootElement;
        return new Result(root.GetProperty("values").GetInt64(), root.GetProperty("seconds").GetDouble(), root.GetProperty("cpuMs").GetDouble(), root.GetProperty("rssMb").GetDouble());
    }

    private static string Str(int value) => value.ToString(CultureInfo.InvariantCulture);
}
