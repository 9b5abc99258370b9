using System.Diagnostics;
using System.Globalization;
using EdgeOps.Benchmarks.Mqtt;
using EdgeOps.Contract.Sparkplug;
using EdgeOps.Core.Model;
using EdgeOps.Core.Signals;
using EdgeOps.Publishing.Mqtt;
using EdgeOps.Publishing.Sparkplug;
using Microsoft.Extensions.Logging.Abstractions;
using MQTTnet;
using MQTTnet.Protocol;

namespace EdgeOps.Benchmarks.Sparkplug;

/// <summary>
/// <c>sparkplug-ddata [--rounds n] [--messages n] [--warmup n] [--only plain|outbox|json|queueing] [--runtime-defaults]</c>: DDATA messages per second through the Sparkplug session's durable
/// outbox (queued in batches of 100, as the engine sink does per snapshot, sent with seq by the session's send loop,
/// deleted on PUBACK) against a plain MQTTnet QoS 1 loop of the same payload bytes with the same 256-wide window,
/// <b>interleaved</b> round by round against one Mosquitto, medians of the per-round ratios; in the same rounds the JSON
/// contract's publisher through the same outbox (batches of 100 events), so the Sparkplug-specific cost shows beside the
/// shared one. Then the encoder's allocation per metric, measured exactly with
/// <see cref="GC.GetAllocatedBytesForCurrentThread"/>, and the queueing side alone. Runs in a child process with the
/// gateway's runtime settings unless <c>--runtime-defaults</c>.
/// </summary>
internal static class SparkplugDdataHarness
{
    private const int Window = 256;
    private const int Batch = 100;

    /// <summary>
    /// The runtime settings the gateway runs with, as environment variables (they take effect only at process start): its
    /// runtime config (EdgeOps.Gateway.csproj: pool workers do not spin, workstation non-concurrent GC, a 2 MB gen0
    /// budget; the GC budget variable is hex) and no tiered JIT, which the Native AOT gateway never runs (no background
    /// compiles inside a timed round, and code as optimised from the first round).
    /// </summary>
    private static readonly (string Name, string Value)[] GatewayRuntime =
    [
        ("DOTNET_ThreadPool_UnfairSemaphoreSpinLimit", "0"),
        ("DOTNET_gcConcurrent", "0"),
        ("DOTNET_GCgen0MaxBudget", "200000"),
        ("DOTNET_TieredCompilation", "0"),
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        // Both variants run in one process, so both get the same runtime; by default the gateway's, in a child process
        // started with it (--runtime-defaults: this process as it is, the runtime's defaults unless the caller set them).
        if (!args.Contains("--runtime-defaults") && GatewayRuntime.Any(v => Environment.GetEnvironmentVariable(v.Name) != v.Value))
        {
            return await RunWithGatewayRuntimeAsync(args);
        }

        Console.WriteLine("runtime: " + string.Join(", ", GatewayRuntime.Select(v => $"{v.Name}={Environment.GetEnvironmentVariable(v.Name) ?? "(default)"}")));
        var rounds = Option(args, "--rounds", 7);
        var messages = Option(args, "--messages", 20_000);

        // Several warm-up rounds: the loops are long-running methods, and one round leaves them at a quick-JIT or OSR tier.
        var warmup = Option(args, "--warmup", 3);
        var only = Array.IndexOf(args, "--only") is var at and >= 0 && at + 1 < args.Length ? args[at + 1] : null;
        using var broker = new BenchMosquitto();
        var directory = Directory.CreateTempSubdirectory("edgeops-bench-sparkplug-").FullName;
        var mqtt = new MqttOptions
        {
            Broker = $"mqtt://127.0.0.1:{broker.Port}",
            GatewayId = "bench-spb",
            MaxInFlight = Window,
            Credentials = new MqttCredentialsOptions { UsernameVariable = "EDGEOPS_BENCH_NO_USER", PasswordVariable = "EDGEOPS_BENCH_NO_PASSWORD" },
            Outbox = new Publishing.Outbox.OutboxOptions { ReplayRatePerSecond = 0 },
        };
        var line = Line();
        var settings = SparkplugSettings.Resolve(new SparkplugOptions { Enabled = true }, line.Site, line.Area, mqtt.GatewayId, directory);
        await using var session = new SparkplugSession(settings, mqtt, line, commands: null, TimeProvider.System, NullLoggerFactory.Instance);
        await session.StartAsync(CancellationToken.None);
        // The JSON contract's publisher on the same broker, its own outbox file: the same Outbox and SendWindow, so what the
        // Sparkplug path costs beyond it is the Sparkplug-specific work (encode, envelope, seq at send).
        var jsonMqtt = new MqttOptions
        {
            Broker = mqtt.Broker,
            GatewayId = "bench-json",
            Site = line.Site,
            MaxInFlight = Window,
            Credentials = mqtt.Credentials,
            Outbox = new Publishing.Outbox.OutboxOptions { Path = Path.Combine(directory, "json-outbox.db"), ReplayRatePerSecond = 0 },
        };
        await using var json = new MqttPublisher(jsonMqtt, TimeProvider.System, NullLoggerFactory.Instance);
        await json.StartAsync(CancellationToken.None);
        using var plain = new MqttClientFactory().CreateMqttClient();
        await plain.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", broker.Port).WithClientId("bench-plain").Build());
        while (!session.IsLive || !json.IsConnected || json.Outbox.Count > 0)
        {
            await Task.Delay(10);
        }

        var topic = SparkplugTopics.Device(settings.GroupId, SparkplugMessageType.DData, settings.EdgeNodeId, "press");
        var payload = Ddata(10, historical: false);
        var bytes = SparkplugCodec.WithSeq(SparkplugCodec.Encode(payload), 7);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"DDATA of 10 metrics: {bytes.Length} bytes"));
        var ratios = new List<double>();
        var plainRates = new List<double>();
        var outboxRates = new List<double>();
        var plainCpu = new List<double>();
        var outboxCpu = new List<double>();
        var jsonRatios = new List<double>();
        var jsonCpu = new List<double>();
        try
        {
            for (var round = 1 - warmup; round <= rounds; round++)
            {
                // CPU of this process per message beside the wall clock: on a loaded box the wall-clock ratio says how the
                // run was scheduled as much as what each path costs; the CPU each path burns in the gateway is its own.
                // --only plain|outbox|json: one variant alone, for a profiler (the others' figures are then NaN); --only queueing: none.
                // A pause between variants, not timed: timers and pool threads of the last one go quiet first.
                await Task.Delay(200);
                var (plainMs, plainCpuUs) = only is null or "plain" ? await TimeAsync(() => PlainAsync(plain, topic, bytes, messages), messages) : (double.NaN, double.NaN);
                await Task.Delay(200);
                var (outboxMs, outboxCpuUs) = only is null or "outbox" ? await TimeAsync(() => OutboxAsync(session, topic, payload, messages), messages) : (double.NaN, double.NaN);
                await Task.Delay(200);
                var (jsonMs, jsonCpuUs) = only is null or "json" ? await TimeAsync(() => JsonOutboxAsync(json, messages), messages) : (double.NaN, double.NaN);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"round {round}{(round <= 0 ? " (warm-up)" : string.Empty)}: plain {plainMs:0} ms ({messages / plainMs * 1000:0}/s, {plainCpuUs:0.0} us CPU/msg), " +
                    $"outbox {outboxMs:0} ms ({messages / outboxMs * 1000:0}/s, {outboxCpuUs:0.0} us CPU/msg, {LastEnqueueShare:P0} of it queueing), ratio {plainMs / outboxMs:P0}; " +
                    $"JSON outbox {jsonMs:0} ms ({jsonCpuUs:0.0} us CPU/msg), ratio {plainMs / jsonMs:P0}"));
                if (round > 0)
                {
                    ratios.Add(plainMs / outboxMs);
                    plainRates.Add(messages / plainMs * 1000);
                    outboxRates.Add(messages / outboxMs * 1000);
                    plainCpu.Add(plainCpuUs);
                    outboxCpu.Add(outboxCpuUs);
                    jsonRatios.Add(plainMs / jsonMs);
                    jsonCpu.Add(jsonCpuUs);
                }
            }
        }
        finally
        {
            await session.StopAsync(CancellationToken.None);
            await json.StopAsync(CancellationToken.None);
            await plain.DisconnectAsync();
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"median of {rounds} rounds, {messages} DDATA: plain {Median(plainRates):0}/s, through the outbox {Median(outboxRates):0}/s, " +
            $"ratio {Median(ratios):P0} (per round {ratios.Min():P0}-{ratios.Max():P0}); CPU of this process per message: plain {Median(plainCpu):0.0} us, " +
            $"through the outbox {Median(outboxCpu):0.0} us"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"JSON outbox (MqttPublisher, batches of 100 events of {MqttPublishBenchmarks.Event(1).RenderPayload(1).Length} bytes) in the same rounds: " +
            $"ratio to the plain loop {Median(jsonRatios):P0} (per round {jsonRatios.Min():P0}-{jsonRatios.Max():P0}), CPU per message {Median(jsonCpu):0.0} us"));
        EncodingAllocation();
        await QueueingAloneAsync(mqtt, line, payload, topic, rounds, messages);
        Console.WriteLine($"load average: {File.ReadAllText("/proc/loadavg").Trim()}");
        Directory.Delete(directory, recursive: true);
        return 0;
    }

    private static async Task<int> RunWithGatewayRuntimeAsync(string[] args)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { UseShellExecute = false };
        start.ArgumentList.Add(typeof(SparkplugDdataHarness).Assembly.Location);
        start.ArgumentList.Add("sparkplug-ddata");
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in GatewayRuntime)
        {
            start.Environment[name] = value;
        }

        using var child = Process.Start(start)!;
        await child.WaitForExitAsync();
        return child.ExitCode;
    }

    private static async Task PlainAsync(IMqttClient client, string topic, byte[] bytes, int messages)
    {
        using var window = new SemaphoreSlim(Window);
        var pending = new List<Task>(messages);
        for (var i = 0; i < messages; i++)
        {
            await window.WaitAsync();
            pending.Add(client.PublishAsync(new MqttApplicationMessage
            {
                Topic = topic,
                PayloadSegment = bytes,
                QualityOfServiceLevel = MqttQualityOfServiceLevel.AtLeastOnce,
            }).ContinueWith(_ => window.Release(), TaskScheduler.Default));
        }

        await Task.WhenAll(pending);
    }

    private static async Task OutboxAsync(SparkplugSession session, string topic, SparkplugPayload payload, int messages)
    {
        var started = Stopwatch.GetTimestamp();
        var batch = new List<(SparkplugEntryKind, string, SparkplugPayload)>(Batch);
        for (var i = 0; i < messages; i += Batch)
        {
            batch.Clear();
            for (var j = 0; j < Batch && i + j < messages; j++)
            {
                batch.Add((SparkplugEntryKind.Data, topic, payload));
            }

            // One commit per 100 DDATA, as the sink writes a snapshot of 100 machines (the JSON harness's "batches of 100").
            session.EnqueueBatch(batch, 1);
        }

        var enqueued = Stopwatch.GetTimestamp();
        while (session.Outbox.Count > 0)
        {
            await Task.Delay(1);
        }

        Settle(session.Outbox);

        LastEnqueueShare = Stopwatch.GetElapsedTime(started, enqueued) / Stopwatch.GetElapsedTime(started);
    }

    /// <summary>
    /// The producer's side alone: <see cref="SparkplugSession.EnqueueBatch"/> in batches of 100 into a session that is not
    /// started, so nothing is sent and nothing else runs in the process; the median CPU per message over
    /// <paramref name="rounds"/> rounds (after one warm-up), each into a fresh outbox file.
    /// </summary>
    private static async Task QueueingAloneAsync(MqttOptions mqtt, LineDefinition line, SparkplugPayload payload, string topic,
        int rounds, int messages)
    {
        var cpu = new List<double>();
        for (var round = 0; round <= rounds; round++)
        {
            var directory = Directory.CreateTempSubdirectory("edgeops-bench-sparkplug-alone-").FullName;
            try
            {
                var settings = SparkplugSettings.Resolve(new SparkplugOptions { Enabled = true }, line.Site, line.Area, mqtt.GatewayId + "-alone", directory);
                await using var session = new SparkplugSession(settings, mqtt, line, commands: null, TimeProvider.System, NullLoggerFactory.Instance);
                var batch = Enumerable.Repeat((SparkplugEntryKind.Data, topic, payload), Batch).ToList();
                using var process = Process.GetCurrentProcess();
                var before = process.TotalProcessorTime;
                for (var i = 0; i < messages; i += Batch)
                {
                    session.EnqueueBatch(batch, 1);
                }

                process.Refresh();
                if (round > 0)
                {
                    cpu.Add((process.TotalProcessorTime - before).TotalMicroseconds / messages);
                }
            }
            finally
            {
                Directory.Delete(directory, recursive: true);
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"queueing alone (EnqueueBatch of 100, nothing sent), median of {rounds}: {Median(cpu):0.00} us CPU/msg (per round {cpu.Min():0.00}-{cpu.Max():0.00})"));
    }

    /// <summary>The JSON path the same way: 100 events per <see cref="MqttPublisher.EnqueueBatchAsync"/> (one commit), until all are acknowledged.</summary>
    private static async Task JsonOutboxAsync(MqttPublisher publisher, int messages)
    {
        for (var i = 0; i < messages; i += Batch)
        {
            var batch = new Publishing.Outbox.OutgoingMessage[Math.Min(Batch, messages - i)];
            for (var j = 0; j < batch.Length; j++)
            {
                batch[j] = MqttPublishBenchmarks.Event(i + j);
            }

            await publisher.EnqueueBatchAsync(batch, CancellationToken.None);
        }

        while (publisher.Outbox.Count > 0)
        {
            await Task.Delay(1);
        }

        Settle(publisher.Outbox);
    }

    /// <summary>
    /// Inside the timed part of an outbox variant: deletes the rows the last PUBACKs acknowledged and checkpoints the WAL
    /// now, which the background flush would otherwise do in the next variant's round (the plain loop's, charged with
    /// work that is the outbox's). One checkpoint per round is more than the once a second the gateway does: conservative.
    /// </summary>
    private static void Settle(Publishing.Outbox.DurableOutbox outbox) => outbox.FlushAcknowledged(checkpointNow: true);

    /// <summary>The share of the last outbox round spent queueing (the rest: sending what was queued and its PUBACKs).</summary>
    private static double LastEnqueueShare { get; set; }

    /// <summary>Bytes the encoder allocates per metric: a 51-metric and a 1-metric DDATA encoded many times, the difference per metric.</summary>
    private static void EncodingAllocation()
    {
        const int Times = 10_000;
        var one = Ddata(1, historical: false);
        var many = Ddata(51, historical: false);
        _ = SparkplugCodec.Encode(one);
        _ = SparkplugCodec.Encode(many);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var oneSize = 0;
        for (var i = 0; i < Times; i++)
        {
            oneSize = SparkplugCodec.Encode(one).Length;
        }

        var oneBytes = (GC.GetAllocatedBytesForCurrentThread() - before) / (double)Times;
        before = GC.GetAllocatedBytesForCurrentThread();
        var manySize = 0;
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < Times; i++)
        {
            manySize = SparkplugCodec.Encode(many).Length;
        }

        var elapsed = watch.Elapsed.TotalMilliseconds;
        var manyBytes = (GC.GetAllocatedBytesForCurrentThread() - before) / (double)Times;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"encode: 1 metric {oneSize} B payload, {oneBytes:0} B allocated; 51 metrics {manySize} B payload, {manyBytes:0} B allocated, " +
            $"{elapsed * 1000 / Times:0.0} us; per metric {(manyBytes - oneBytes) / 50:0.0} B allocated of which {(manySize - oneSize) / 50.0:0.0} B is the payload itself"));
    }

    /// <summary>A DDATA as the sink makes it: aliases, datatypes, timestamps, a mix of Int64, Double, String and Boolean.</summary>
    private static SparkplugPayload Ddata(int count, bool historical)
    {
        var metrics = new List<SparkplugMetric>(count);
        for (var i = 0; i < count; i++)
        {
            var (type, value) = (i % 4) switch
            {
                0 => (SparkplugDataType.Int64, SparkplugValue.Integer(SparkplugDataType.Int64, 123_456 + i)),
                1 => (SparkplugDataType.Double, SparkplugValue.Double(0.8734 + i)),
                2 => (SparkplugDataType.String, SparkplugValue.String("running")),
                _ => (SparkplugDataType.Boolean, SparkplugValue.Boolean(true)),
            };
            metrics.Add(new SparkplugMetric
            {
                Alias = 3_000_000_000UL + (ulong)i,
                Timestamp = 1_795_413_601_000UL + (ulong)i,
                DataType = type,
                Value = value,
                IsHistorical = historical,
            });
        }

        return new SparkplugPayload { Timestamp = 1_795_413_601_000UL, Metrics = metrics };
    }

    private static LineDefinition Line() => new()
    {
        Site = "bench",
        Area = "area",
        Line = "line",
        TimeZone = "Etc/UTC",
        Shifts = [new ShiftDefinition { Name = "day", Start = new TimeOnly(6, 0), End = new TimeOnly(18, 0) }],
        Machines =
        [
            new MachineDefinition
            {
                Id = "press",
                IdealCycleTime = TimeSpan.FromSeconds(1),
                Signals = [new SignalDefinition { Name = "total", Role = SignalRole.Total }],
            },
        ],
    };

    private static async Task<(double Ms, double CpuUsPerMessage)> TimeAsync(Func<Task> run, int messages)
    {
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        await run();
        var elapsed = watch.Elapsed.TotalMilliseconds;
        process.Refresh();
        return (elapsed, (process.TotalProcessorTime - cpu).TotalMicroseconds / messages);
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
