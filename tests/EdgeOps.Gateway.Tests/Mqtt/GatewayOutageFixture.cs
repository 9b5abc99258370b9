using EdgeOps.Contract;
using EdgeOps.Publishing.Mqtt;
using EdgeOps.Publishing.Tests.Support;
using EdgeOps.TestSupport;
using EdgeOps.TestSupport.Mosquitto;
using GatewayHostProcess = EdgeOps.TestSupport.Gateway.GatewayProcess;
using EdgeOps.TestSupport.Mqtt;

namespace EdgeOps.Gateway.Tests.Mqtt;

/// <summary>
/// The real <c>edgeops</c> gateway running the simulated demo line (fast, so stops and faults give a steady stream of
/// events) against a real Mosquitto, through one broker outage of <see cref="Outage"/> (30 s by default,
/// EDGEOPS_MQTT_OUTAGE_SECONDS to change it). Three gateway processes share the outage, each on its own copy of the demo
/// line with its own site (so their topics do not mix) and its own data directory:
/// <list type="bullet">
/// <item>Plain: default settings, runs through the outage.</item>
/// <item>Killed: SIGKILLed a third of the way into the outage and restarted on the same data directory before the
/// broker returns.</item>
/// <item>Bounded: <c>Outbox:MaxBytes</c> of 16 KiB, far less than what an outage queues.</item>
/// </list>
/// A subscriber with a persistent QoS 1 session watches <c>edgeops/v1/#</c> the whole time.
/// </summary>
public sealed class GatewayOutageFixture : IAsyncLifetime
{
    public const long TinyBound = 16 * 1024;
    public static readonly string[] Machines = ["press", "welder", "packer"];

    private readonly List<string> _directories = [];

    public MosquittoBroker Broker { get; private set; } = null!;

    public TestSubscriber Subscriber { get; private set; } = null!;

    public TimeSpan Outage { get; } = TimeSpan.FromSeconds(
        int.TryParse(Environment.GetEnvironmentVariable("EDGEOPS_MQTT_OUTAGE_SECONDS"), out var s) ? s : 30);

    /// <summary>Gateway clock (UTC) when the broker was stopped and when it was back.</summary>
    public DateTimeOffset OutageStart { get; private set; }

    public DateTimeOffset OutageEnd { get; private set; }

    /// <summary>When the killed gateway was SIGKILLed and when its second run answered again.</summary>
    public DateTimeOffset KilledAt { get; private set; }

    public DateTimeOffset RestartedAt { get; private set; }

    public GatewayRun Plain { get; private set; } = null!;

    public GatewayRun Killed { get; private set; } = null!;

    public GatewayRun Bounded { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Broker = await MosquittoBroker.StartAsync();
        Subscriber = await TestSubscriber.StartAsync(Broker.Host, Broker.Port, "edgeops/v1/#");

        Plain = Prepare("gw-plain", "outage-plain");
        Killed = Prepare("gw-killed", "outage-killed");
        Bounded = Prepare("gw-bounded", "outage-bounded", $"--EdgeOps:Mqtt:Outbox:MaxBytes={TinyBound}");
        await Task.WhenAll(Start(Plain), Start(Killed), Start(Bounded));

        // Running and publishing: every gateway has sent events before the outage.
        foreach (var run in new[] { Plain, Killed, Bounded })
        {
            await Subscriber.WaitForAsync(r => run.EventTopics.Contains(r.Topic), TimeSpan.FromSeconds(60), $"events from {run.GatewayId}");
        }

        OutageStart = DateTimeOffset.UtcNow;
        await Broker.StopAsync();
        await Task.Delay(Outage / 3);

        // Power cut on one gateway during the outage; it comes back (same data directory) while the broker is still down.
        KilledAt = DateTimeOffset.UtcNow;
        Killed.Kill();
        await Start(Killed);
        RestartedAt = DateTimeOffset.UtcNow;

        var remaining = OutageStart + Outage - DateTimeOffset.UtcNow;
        if (remaining > TimeSpan.Zero)
        {
            await Task.Delay(remaining);
        }

        await Broker.StartAgainAsync();
        OutageEnd = DateTimeOffset.UtcNow;

        // Back to normal when every events topic has something produced after the broker returned, and the backlog
        // has caught up: every seq the gateway has produced (its own count, read from its outbox) has arrived. Not
        // "the newest seq seen is contiguous": that cannot tell a lost tail from a tail never produced.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        // Each run checked on every pass (no short-circuit), so each has its produced counts even after a timeout.
        while (DateTime.UtcNow < deadline && new[] { Plain, Killed, Bounded }.Select(CaughtUp).Count(ok => !ok) > 0)
        {
            await Task.Delay(500);
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var run in new[] { Plain, Killed, Bounded })
        {
            run?.Process?.Dispose();
        }

        await Subscriber.DisposeAsync();
        await Broker.DisposeAsync();
        foreach (var directory in _directories)
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: a temp directory.
            }
        }
    }

    /// <summary>The gateway's Prometheus text (<c>/metrics</c>).</summary>
    public static async Task<string> MetricsAsync(GatewayRun run)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        return await http.GetStringAsync(new Uri($"http://127.0.0.1:{run.Process!.WebPort}/metrics"));
    }

    /// <summary>Received messages on <paramref name="topic"/>, in arrival order.</summary>
    public IReadOnlyList<ReceivedMessage> On(string topic) => Subscriber.Received.Where(r => r.Topic == topic).ToList();

    /// <summary>
    /// Records what <paramref name="run"/> has produced so far on each events topic (<see cref="GatewayRun.Produced"/>)
    /// and says whether all of it has arrived, with something produced after the broker returned.
    /// </summary>
    private bool CaughtUp(GatewayRun run)
    {
        var produced = ProducedSeqs(run);
        run.Produced = produced;
        return run.EventTopics.All(topic =>
        {
            var received = On(topic);
            if (!received.Any(r => r.Json.GetProperty("ts").GetDateTimeOffset() > OutageEnd))
            {
                return false;
            }

            var seqs = received.Select(r => r.Seq).ToHashSet();
            var last = produced.GetValueOrDefault(topic);
            return last > 0 && Enumerable.Range(1, (int)last).All(s => seqs.Contains(s));
        });
    }

    /// <summary>
    /// The last seq the gateway allocated per topic: its outbox's <c>topic_seq</c> table, read while it runs (WAL: a
    /// reader does not block the writer). Allocated means produced: it is committed with the message it numbers.
    /// </summary>
    private static Dictionary<string, long> ProducedSeqs(GatewayRun run)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection(new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(run.DataDirectory, "outbox.db"),
            Mode = Microsoft.Data.Sqlite.SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT topic, value FROM topic_seq;";
        using var reader = command.ExecuteReader();
        var seqs = new Dictionary<string, long>(StringComparer.Ordinal);
        while (reader.Read())
        {
            seqs[reader.GetString(0)] = reader.GetInt64(1);
        }

        return seqs;
    }

    private GatewayRun Prepare(string gatewayId, string site, params string[] extra)
    {
        var directory = Directory.CreateTempSubdirectory("edgeops-gw-outage-").FullName;
        _directories.Add(directory);
        var lineFile = Path.Combine(directory, "line.yaml");
        var demo = File.ReadAllText(RepoPaths.File("firmware-config", "lines", "demo-line.yaml"));
        const string demoSite = "site: plant-leipzig\n";
        if (!demo.Contains(demoSite, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"demo-line.yaml no longer has '{demoSite.Trim()}': update this fixture.");
        }

        File.WriteAllText(lineFile, demo.Replace(demoSite, $"site: {site}\n", StringComparison.Ordinal));
        var data = Path.Combine(directory, "data");
        string[] arguments =
        [
            "--config", lineFile,
            "--data", data,
            $"--EdgeOps:GatewayId={gatewayId}",
            $"--EdgeOps:Mqtt:Broker=mqtt://127.0.0.1:{Broker.Port}",
            "--EdgeOps:Mqtt:ReconnectMinDelay=00:00:00.200",
            "--EdgeOps:Mqtt:ReconnectMaxDelay=00:00:01",
            // 500 simulated seconds per second: the simulator's stops, faults and breaks give ~10 events/s.
            "--EdgeOps:Simulator:Speed=500",
            "--EdgeOps:Simulator:Start=2026-11-23T05:30:00Z",
            "--EdgeOps:ConsoleSummaryInterval=00:00:00",
            .. extra,
        ];
        var topics = Machines.Select(m => MqttTopics.Machine(site, "body-shop", "line-1", m)).ToList();
        return new GatewayRun(gatewayId, site, arguments, topics, data);
    }

    private static async Task Start(GatewayRun run) =>
        run.Process = await GatewayHostProcess.StartAsync(run.Arguments, timeout: TimeSpan.FromSeconds(90));
}

/// <summary>One gateway of the outage: how it is started, its topics, its current process and its earlier runs' output.</summary>
public sealed class GatewayRun(string gatewayId, string site, IReadOnlyList<string> arguments, IReadOnlyList<MachineTopics> topics,
    string dataDirectory)
{
    private readonly List<string> _earlierOutput = [];

    public string GatewayId { get; } = gatewayId;

    public string Site { get; } = site;

    public IReadOnlyList<string> Arguments { get; } = arguments;

    public IReadOnlyList<MachineTopics> Topics { get; } = topics;

    public IReadOnlyList<string> EventTopics => Topics.Select(t => t.Events).ToList();

    /// <summary>The data directory (outbox, checkpoints), the same for every run of this gateway.</summary>
    public string DataDirectory { get; } = dataDirectory;

    /// <summary>
    /// The last seq per topic this gateway had produced when the fixture saw it caught up: the known count the tests
    /// check the subscriber against (a tail lost at the end would otherwise go unnoticed).
    /// </summary>
    public IReadOnlyDictionary<string, long> Produced { get; set; } = new Dictionary<string, long>();

    public GatewayHostProcess? Process { get; set; }

    /// <summary>Everything this gateway wrote, over all its runs.</summary>
    public string Output => string.Join("\n---- restart ----\n", _earlierOutput.Append(Process?.Output ?? string.Empty));

    /// <summary>SIGKILL (a power cut); the output is kept.</summary>
    public void Kill()
    {
        if (Process is { } process)
        {
            _earlierOutput.Add(process.Output);
            process.Kill();
            process.Dispose();
            Process = null;
        }
    }

    public override string ToString() => GatewayId;
}

[CollectionDefinition("gateway-outage")]
public sealed class GatewayOutageCollection : ICollectionFixture<GatewayOutageFixture>;
