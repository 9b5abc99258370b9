using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using EdgeOps.Historian.Tests.Support;
using EdgeOps.TestSupport;
using EdgeOps.TestSupport.Gateway;
using EdgeOps.TestSupport.Influx;
using EdgeOps.TestSupport.Mosquitto;
using EdgeOps.TestSupport.Mqtt;
using EdgeOps.TestSupport.Processes;

namespace EdgeOps.Historian.Tests.Fleet;

/// <summary>How big and how long a fleet run is. The CI setting is small; the long one is set by environment variables.</summary>
public sealed record FleetSettings(int Gateways, TimeSpan Duration, double Speed)
{
    /// <summary>CI: 5 gateways for 60 s. <c>EDGEOPS_FLEET_GATEWAYS</c>, <c>EDGEOPS_FLEET_SECONDS</c>, <c>EDGEOPS_FLEET_SPEED</c> raise it.</summary>
    public static FleetSettings FromEnvironment() => new(
        Read("EDGEOPS_FLEET_GATEWAYS", 5),
        TimeSpan.FromSeconds(Read("EDGEOPS_FLEET_SECONDS", 60)),
        Read("EDGEOPS_FLEET_SPEED", 60));

    private static int Read(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : fallback;
}

/// <summary>What a fleet run measured and counted.</summary>
public sealed record FleetReport(
    FleetSettings Settings,
    long Published,
    long Stored,
    long Lost,
    long Unexpected,
    long Duplicates,
    long NotStoredByDesign,
    double MessagesPerSecond,
    IReadOnlyList<(string Gateway, double CpuPercent, double PeakRssMiB)> Gateways,
    double DrainSeconds,
    long BacklogAtStop,
    double HistorianCpuMicrosPerMessage,
    IReadOnlyList<string> LostSamples,
    string Load)
{
    public string Render()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"fleet: {Settings.Gateways} gateways x {Settings.Duration.TotalSeconds:0} s at speed {Settings.Speed}; load {Load}");
        text.AppendLine(CultureInfo.InvariantCulture, $"published (topic, seq) {Published}; stored {Stored}; lost {Lost}; unexpected {Unexpected}; duplicate points {Duplicates}; not stored by design {NotStoredByDesign}");
        text.AppendLine(CultureInfo.InvariantCulture, $"broker: {MessagesPerSecond:0.0} msg/s in; historian backlog when the gateways stopped {BacklogAtStop}, drained in {DrainSeconds:0.0} s; historians {HistorianCpuMicrosPerMessage:0.0} us CPU per message");
        foreach (var (gateway, cpu, rss) in Gateways)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {gateway}: CPU {cpu:0.0} % of one core, peak RSS {rss:0} MiB");
        }

        foreach (var sample in LostSamples)
        {
            text.AppendLine("  lost: " + sample);
        }

        return text.ToString();
    }
}

/// <summary>
/// N real gateway processes on simulated lines (each its own site and line) publish to one Mosquitto; two real
/// historians share one subscription (<c>$share/historian/…</c>) and write to victoria-metrics; a subscriber of its own
/// records every (topic, seq) the broker passed on. Mid-run one historian is SIGKILLed and restarted. The gateways stop
/// cleanly (SIGTERM), the historians drain, and the store is counted against the record.
/// </summary>
public static class FleetHarness
{
    // What the historian stores one point with a seq field for (docs/historian.md); command replies and Sparkplug are not.
    private static readonly HashSet<string> StoredKinds = new(StringComparer.Ordinal)
    {
        "state", "counts", "kpi", "events", "shift", "condition", "alarms", "maintenance", "status",
    };

    public static async Task<FleetReport> RunAsync(FleetSettings settings, Action<string> log)
    {
        ArgumentNullException.ThrowIfNull(settings);
        using var root = new TempDirectory();
        await using var victoria = new VictoriaMetricsServer();
        await victoria.StartAsync();
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions { MaxInflightMessages = 0 });
        await using var recorder = await TestSubscriber.StartAsync("127.0.0.1", broker.Port, "edgeops/v1/#");

        var historians = new ManagedProcess?[2];
        // CPU after start-up (JIT, connecting) is the baseline: the figure is the cost of the messages, not of starting.
        var historianBase = new double[2];
        var historianCpu = 0.0;
        Dictionary<string, string?> HistorianConfigOf(int i)
        {
            var config = HistorianConfig.V1(broker.Port, victoria.Url, "fleet", Path.Combine(root.Path, $"historian-{i}"), $"fleet-historian-{i}");
            config["Historian:Mqtt:SharedGroup"] = "historian";
            return config;
        }

        var gateways = new List<GatewayProcess>();
        try
        {
            for (var i = 0; i < historians.Length; i++)
            {
                Directory.CreateDirectory(Path.Combine(root.Path, $"historian-{i}"));
                historians[i] = await HistorianProcess.StartAsync(HistorianConfigOf(i), root.Path);
                historianBase[i] = ProcessStats.CpuSeconds(historians[i]!.Pid);
            }

            var template = await File.ReadAllTextAsync(RepoPaths.File("firmware-config", "lines", "demo-line.yaml"));
            var starts = Enumerable.Range(0, settings.Gateways).Select(async i =>
            {
                // Each gateway its own site and line: distinct topic trees, as a plant's lines are.
                var file = Path.Combine(root.Path, $"line-{i}.yaml");
                await File.WriteAllTextAsync(file, template
                    .Replace("site: plant-leipzig", $"site: site-{i % 3}", StringComparison.Ordinal)
                    .Replace("line: line-1", $"line: line-{i}", StringComparison.Ordinal));
                return await GatewayProcess.StartAsync(
                [
                    "--config", file, "--data", Path.Combine(root.Path, $"gateway-{i}"), $"--EdgeOps:GatewayId=fleet-gw-{i}",
                    $"--EdgeOps:Mqtt:Broker=mqtt://127.0.0.1:{broker.Port}",
                    $"--EdgeOps:Simulator:Speed={settings.Speed.ToString(CultureInfo.InvariantCulture)}",
                    "--EdgeOps:ConsoleSummaryInterval=00:00:00",
                ], timeout: TimeSpan.FromSeconds(180));
            }).ToList();
            foreach (var start in starts)
            {
                try
                {
                    gateways.Add(await start);
                }
                catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
                {
                    // Stop the ones that did start before failing the run.
                    foreach (var other in starts.Where(s => s.IsCompletedSuccessfully))
                    {
                        other.Result.Dispose();
                    }

                    throw;
                }
            }

            log($"{gateways.Count} gateways, 2 historians, mosquitto, victoria-metrics up; load {Load()}");
            var cpuBefore = gateways.Select(g => ProcessStats.CpuSeconds(g.Pid)).ToList();
            var clock = Stopwatch.StartNew();
            var receivedAtStart = recorder.Received.Count;

            await Task.Delay(settings.Duration / 2);
            // A power cut of one historian: what it had taken but not acknowledged is redelivered to its session.
            historianCpu += ProcessStats.CpuSeconds(historians[1]!.Pid) - historianBase[1];
            historians[1]!.Kill();
            historians[1]!.Dispose();
            log($"historian 1 SIGKILLed at {clock.Elapsed.TotalSeconds:0} s");
            await Task.Delay(TimeSpan.FromSeconds(5));
            historians[1] = await HistorianProcess.StartAsync(HistorianConfigOf(1), root.Path);
            historianBase[1] = ProcessStats.CpuSeconds(historians[1]!.Pid);
            log($"historian 1 restarted at {clock.Elapsed.TotalSeconds:0} s");

            var remaining = settings.Duration - clock.Elapsed;
            if (remaining > TimeSpan.Zero)
            {
                await Task.Delay(remaining);
            }

            var elapsed = clock.Elapsed;
            var load = Load();
            var perGateway = gateways.Select((g, i) => ($"fleet-gw-{i}",
                (ProcessStats.CpuSeconds(g.Pid) - cpuBefore[i]) / elapsed.TotalSeconds * 100, ProcessStats.PeakRssMiB(g.Pid))).ToList();
            await Task.WhenAll(gateways.Select(g => g.StopAsync()));
            // The last acknowledged publishes are on their way to the recorder.
            await Task.Delay(TimeSpan.FromSeconds(2));
            var published = Record(recorder.Received);
            var messagesPerSecond = (recorder.Received.Count - receivedAtStart) / elapsed.TotalSeconds;
            var stopped = Stopwatch.StartNew();
            var storedAtStop = (await StoredAsync(victoria)).Count;
            var backlog = published.Stored.Count - storedAtStop;
            log($"gateways stopped; {published.Stored.Count} stored-kind messages published, {storedAtStop} in the store");

            // Drain: until every recorded (topic, seq) is in the store, or nothing new arrives for a while.
            Dictionary<(string, long), int> stored = [];
            var lastCount = -1;
            var quiet = Stopwatch.StartNew();
            while (quiet.Elapsed < TimeSpan.FromSeconds(60))
            {
                stored = await StoredAsync(victoria);
                if (published.Stored.Keys.All(stored.ContainsKey))
                {
                    break;
                }

                if (stored.Count != lastCount)
                {
                    lastCount = stored.Count;
                    quiet.Restart();
                }

                await Task.Delay(TimeSpan.FromSeconds(1));
            }

            var drain = stopped.Elapsed.TotalSeconds;
            var missing = published.Stored.Keys.Where(k => !stored.ContainsKey(k)).ToList();
            if (missing.Count > 0)
            {
                foreach (var group in missing.GroupBy(k => KindOf(k.Item1)))
                {
                    log($"missing {group.Key}: {group.Count()}");
                }

                for (var i = 0; i < historians.Length; i++)
                {
                    log($"historian {i} output (tail):\n{Tail(historians[i]!.Output)}");
                }
            }

            historianCpu += historians.Select((h, i) => ProcessStats.CpuSeconds(h!.Pid) - historianBase[i]).Sum();
            var lost = published.Stored.Keys.Where(k => !stored.ContainsKey(k)).ToList();
            var unexpected = stored.Keys.Count(k => !published.Stored.ContainsKey(k));
            return new FleetReport(settings, published.Stored.Count, stored.Count, lost.Count, unexpected,
                stored.Values.Sum(v => v - 1), published.Other, messagesPerSecond, perGateway, drain, backlog,
                historianCpu * 1e6 / Math.Max(1, stored.Count), [.. lost.Take(10).Select(k => $"{k.Item1} seq {k.Item2}")], load);
        }
        finally
        {
            foreach (var gateway in gateways)
            {
                gateway.Dispose();
            }

            foreach (var historian in historians)
            {
                if (historian is not null)
                {
                    await historian.StopAsync(TimeSpan.FromSeconds(20));
                    historian.Dispose();
                }
            }
        }
    }

    private static (Dictionary<(string, long), int> Stored, int Other) Record(IReadOnlyList<ReceivedMessage> received)
    {
        var stored = new Dictionary<(string, long), int>();
        var other = new HashSet<(string, long)>();
        foreach (var message in received)
        {
            var key = (message.Topic, message.Seq);
            if (StoredKinds.Contains(KindOf(message.Topic)))
            {
                stored[key] = stored.GetValueOrDefault(key) + 1;
            }
            else
            {
                other.Add(key);
            }
        }

        return (stored, other.Count);
    }

    private static string Tail(string text) => text.Length <= 4000 ? text : text[^4000..];

    private static string KindOf(string topic)
    {
        // edgeops/v1/{site}/{area}/{line}/{machine}/{kind}[/{signal}] or edgeops/v1/{site}/_gateways/{id}/status
        var parts = topic.Split('/');
        return parts.Length >= 7 ? parts[6] : parts[^1];
    }

    /// <summary>Every stored message as (topic, seq) → number of points: the seq field of each contract measurement.</summary>
    private static async Task<Dictionary<(string, long), int>> StoredAsync(VictoriaMetricsServer victoria)
    {
        using var http = new HttpClient { BaseAddress = victoria.Url, Timeout = TimeSpan.FromSeconds(60) };
        using (var flush = await http.GetAsync(new Uri("internal/force_flush", UriKind.Relative)))
        {
            flush.EnsureSuccessStatusCode();
        }

        // Events are stamped with their simulated time ('at'), which at speed 60 runs ahead of the wall clock: the export
        // must reach past now (its default end).
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["match[]"] = "{__name__=~\"[a-z]+_seq\"}",
            ["start"] = "0",
            ["end"] = DateTimeOffset.UtcNow.AddDays(30).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
        });
        using var response = await http.PostAsync(new Uri("api/v1/export", UriKind.Relative), content);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"victoria-metrics export failed ({(int)response.StatusCode}): {body}");
        }

        var result = new Dictionary<(string, long), int>();
        foreach (var line in body.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var document = JsonDocument.Parse(line);
            var labels = document.RootElement.GetProperty("metric").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? string.Empty);
            var kind = labels["__name__"][..^"_seq".Length];
            if (!StoredKinds.Contains(kind))
            {
                continue;
            }

            string Label(string name) => labels.TryGetValue(name, out var value) ? value : "?";
            var topic = kind switch
            {
                "status" => $"edgeops/v1/{Label("site")}/_gateways/{Label("gateway")}/status",
                "condition" => $"edgeops/v1/{Label("site")}/{Label("area")}/{Label("line")}/{Label("machine")}/condition/{Label("signal")}",
                _ => $"edgeops/v1/{Label("site")}/{Label("area")}/{Label("line")}/{Label("machine")}/{kind}",
            };
            foreach (var value in document.RootElement.GetProperty("values").EnumerateArray())
            {
                var key = (topic, (long)value.GetDouble());
                result[key] = result.GetValueOrDefault(key) + 1;
            }
        }

        return result;
    }

    private static string Load() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) + $" on {Environment.ProcessorCount} cores" : "unknown";
}

/// <summary>CPU time and peak resident memory of a process, from /proc.</summary>
internal static class ProcessStats
{
    public static double CpuSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // Fields after the command name (which may hold spaces) start at ") "; utime and stime are fields 14 and 15.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    public static double PeakRssMiB(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
    }
}
