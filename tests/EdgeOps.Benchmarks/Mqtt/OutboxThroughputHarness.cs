using System.Diagnostics;
using System.Globalization;
using EdgeOps.Publishing.Outbox;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeOps.Benchmarks.Mqtt;

/// <summary>
/// <c>mqtt-outbox [--rounds n] [--messages n]</c>: the variants of <see cref="MqttPublishBenchmarks"/> run <b>interleaved</b>
/// (plain, outbox, plain, outbox, ...) against one Mosquitto, so a shared box whose load drifts during the run affects
/// the baseline and the outbox alike; prints each round and the median per variant and of the per-round ratios.
/// Also times the outbox alone (enqueue and commit, no broker) to show what the file costs.
/// </summary>
internal static class OutboxThroughputHarness
{
    public static async Task<int> RunAsync(string[] args)
    {
        var rounds = Option(args, "--rounds", 5);
        var messages = Option(args, "--messages", 20_000);
        if (args.Contains("--alone"))
        {
            // Only the outbox (enqueue + commit, nothing sent), for tuning the file side quickly.
            var times = Enumerable.Range(0, rounds + 1).Select(_ => EnqueueAlone(messages)).Skip(1).ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"outbox alone, median of {rounds}: {Median(times):0} ms = {messages / Median(times) * 1000:0}/s; load {File.ReadAllText("/proc/loadavg").Trim()}"));
            return 0;
        }

        var bench = new MqttPublishBenchmarks { Messages = messages };
        await bench.SetupAsync();
        var results = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        try
        {
            // One warm-up round, not counted.
            for (var round = 0; round <= rounds; round++)
            {
                var plain = await TimeAsync(bench.PlainLoop);
                var plainCpu = LastCpu.TotalMicroseconds / messages;
                var concurrent = await TimeLiveAsync(bench, bench.WithOutboxConcurrent);
                var concurrentCpu = LastCpu.TotalMicroseconds / messages;
                var batched = await TimeLiveAsync(bench, bench.WithOutboxBatched);
                var batchedCpu = LastCpu.TotalMicroseconds / messages;
                bench.SetupBacklog();
                var replay = await TimeAsync(bench.Replay);
                bench.CleanupPublisher();
                var alone = EnqueueAlone(messages);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"round {round}{(round == 0 ? " (warm-up)" : string.Empty)}: plain {plain:0} ms ({plainCpu:0.0} us CPU/msg), " +
                    $"outbox 256 outstanding {concurrent:0} ms ({plain / concurrent:P0}, {concurrentCpu:0.0} us CPU/msg), " +
                    $"outbox batches of 100 {batched:0} ms ({plain / batched:P0}, {batchedCpu:0.0} us CPU/msg), replay {replay:0} ms " +
                    $"({messages / replay * 1000:0}/s), outbox alone {alone:0} ms ({messages / alone * 1000:0}/s)"));
                if (round == 0)
                {
                    continue;
                }

                Add(results, "plain", plain);
                Add(results, "concurrent", concurrent);
                Add(results, "batched", batched);
                Add(results, "replay", replay);
                Add(results, "alone", alone);
                Add(results, "plain cpu", plainCpu);
                Add(results, "concurrent cpu", concurrentCpu);
                Add(results, "batched cpu", batchedCpu);
                Add(results, "concurrent/plain", plain / concurrent);
                Add(results, "batched/plain", plain / batched);
            }
        }
        finally
        {
            await bench.CleanupAsync();
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"median of {rounds} rounds, {messages} messages: plain {Median(results["plain"]):0} ms ({messages / Median(results["plain"]) * 1000:0}/s); " +
            $"outbox 256 outstanding {Median(results["concurrent"]):0} ms, ratio {Median(results["concurrent/plain"]):P0}; " +
            $"batches of 100 {Median(results["batched"]):0} ms, ratio {Median(results["batched/plain"]):P0}; " +
            $"replay {Median(results["replay"]):0} ms = {messages / Median(results["replay"]) * 1000:0}/s; " +
            $"outbox alone {messages / Median(results["alone"]) * 1000:0}/s; CPU of this process per message: plain {Median(results["plain cpu"]):0.0} us, " +
            $"256 outstanding {Median(results["concurrent cpu"]):0.0} us, batches of 100 {Median(results["batched cpu"]):0.0} us"));
        Console.WriteLine($"load average: {File.ReadAllText("/proc/loadavg").Trim()}");
        return 0;
    }

    private static async Task<double> TimeLiveAsync(MqttPublishBenchmarks bench, Func<Task> run)
    {
        bench.SetupLive();
        try
        {
            return await TimeAsync(run);
        }
        finally
        {
            bench.CleanupPublisher();
        }
    }

    private static async Task<double> TimeAsync(Func<Task> run)
    {
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        await run();
        var elapsed = watch.Elapsed.TotalMilliseconds;
        process.Refresh();
        LastCpu = process.TotalProcessorTime - cpu;
        return elapsed;
    }

    /// <summary>
    /// CPU this process burned in the last timed variant (all threads: producer, send loop, MQTTnet, SQLite): on a loaded
    /// box steadier than the wall clock, and the figure the Sparkplug harness prints beside its own, so the two paths'
    /// costs per message compare.
    /// </summary>
    private static TimeSpan LastCpu { get; set; }

    /// <summary>Group-committed enqueues with 256 outstanding into a fresh file, nothing sent.</summary>
    private static double EnqueueAlone(int messages)
    {
        var directory = Directory.CreateTempSubdirectory("edgeops-bench-alone-").FullName;
        try
        {
            using var outbox = new DurableOutbox(new OutboxOptions { Path = Path.Combine(directory, "outbox.db") }, "bench-alone",
                TimeProvider.System, NullLogger<DurableOutbox>.Instance);
            var watch = Stopwatch.StartNew();
            var pending = new Queue<ValueTask<long>>();
            for (var i = 0; i < messages; i++)
            {
                if (pending.Count == 256)
                {
                    pending.Dequeue().AsTask().GetAwaiter().GetResult();
                }

                pending.Enqueue(outbox.EnqueueAsync(MqttPublishBenchmarks.Event(i), CancellationToken.None));
            }

            while (pending.Count > 0)
            {
                pending.Dequeue().AsTask().GetAwaiter().GetResult();
            }

            return watch.Elapsed.TotalMilliseconds;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static void Add(Dictionary<string, List<double>> results, string key, double value)
    {
        if (!results.TryGetValue(key, out var list))
        {
            results[key] = list = [];
        }

        list.Add(value);
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
