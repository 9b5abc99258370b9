using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using EdgeOps.OpcUa.Client;
using EdgeOps.OpcUa.Subscriptions;
using EdgeOps.OpcUa.Types;
using EdgeOps.TestSupport.OpcUa;
using EdgeOps.TestSupport.Processes;

namespace EdgeOps.Benchmarks.OpcUa;

/// <summary>
/// Load harness (not BenchmarkDotNet: the load comes from a separate server process): values per second ingested
/// from node-opcua with N monitored items at a sampling interval, with the CPU time and resident memory of this
/// process, then the same subscription made by node-opcua's own client (tests/opcua-server/client-bench.js).
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
        Console.WriteLine(Format("EdgeOps.OpcUa client", ours));
        var theirs = await MeasureNodeOpcuaAsync(server, items, seconds, sampling);
        Console.WriteLine(Format("node-opcua client    ", theirs));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"offered by the server: up to {items * 1000.0 / sampling:N0} changes/s; CPU per value: EdgeOps {ours.CpuMs * 1000 / Math.Max(1, ours.Values):0.00} µs, node-opcua {theirs.CpuMs * 1000 / Math.Max(1, theirs.Values):0.00} µs"));
        return 0;
    }

    private sealed record Result(long Values, double Seconds, double CpuMs, double RssMb);

    private static string Format(string who, Result r) => string.Create(CultureInfo.InvariantCulture,
        $"{who}: {r.Values / r.Seconds,10:N0} values/s  CPU {r.CpuMs / r.Seconds / 10,5:0.0} % of one core  RSS {r.RssMb:0} MB");

    private static async Task<Result> MeasureOursAsync(OpcUaTestServer server, int items, int seconds, int sampling)
    {
        await using var client = new OpcUaClient(new OpcUaClientOptions { EndpointUrl = server.EndpointUrl });
        await client.ConnectAsync();
        var ns = (ushort)client.NamespaceIndex(server.NamespaceUri);
        var subscription = await client.CreateSubscriptionAsync(new SubscriptionOptions { PublishingInterval = TimeSpan.FromMilliseconds(sampling) });
        long count = 0;
        using var stop = new CancellationTokenSource();
        var consumer = Task.Run(async () =>
        {
            try
            {
                await foreach (var v in subscription.Values.ReadAllAsync(stop.Token))
                {
                    if (v.Value.TryGetDouble(out _))
                    {
                        Interlocked.Increment(ref count);
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // Measurement over.
            }
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

        await Task.Delay(3000); // warm-up: initial values and JIT
        using var process = Process.GetCurrentProcess();
        var cpu0 = process.TotalProcessorTime;
        var start = Stopwatch.GetTimestamp();
        var c0 = Interlocked.Read(ref count);
        await Task.Delay(TimeSpan.FromSeconds(seconds));
        var values = Interlocked.Read(ref count) - c0;
        var elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
        process.Refresh();
        var cpu = (process.TotalProcessorTime - cpu0).TotalMilliseconds;
        var rss = process.WorkingSet64 / 1024.0 / 1024.0;
        await stop.CancelAsync();
        await consumer;
        return new Result(values, elapsed, cpu, rss);
    }

    private static async Task<Result> MeasureNodeOpcuaAsync(OpcUaTestServer server, int items, int seconds, int sampling)
    {
        var node = ManagedProcess.Require("node", "Install Node.js.");
        var dir = OpcUaTestServer.ScriptDirectory();
        using var process = ManagedProcess.Start(node, [Path.Combine(dir, "client-bench.js"), server.EndpointUrl, Str(items), Str(seconds), Str(sampling)], dir);
        await process.WaitForOutputAsync("\"values\"", TimeSpan.FromSeconds(seconds + 120));
        var line = process.Output.Split('\n').First(l => l.Contains("\"values\"", StringComparison.Ordinal));
        using var json = JsonDocument.Parse(line);
        var root = json.RootElement;
        return new Result(root.GetProperty("values").GetInt64(), root.GetProperty("seconds").GetDouble(), root.GetProperty("cpuMs").GetDouble(), root.GetProperty("rssMb").GetDouble());
    }

    private static string Str(int value) => value.ToString(CultureInfo.InvariantCulture);
}
