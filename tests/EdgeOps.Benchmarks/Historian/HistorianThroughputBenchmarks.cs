using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Net.Http.Headers;
using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using IHost = Microsoft.Extensions.Hosting.IHost;
using EdgeOps.Historian;
using EdgeOps.Ingest;
using EdgeOps.TestSupport.Influx;
using EdgeOps.TestSupport.Processes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MQTTnet;
using MQTTnet.Protocol;

namespace EdgeOps.Benchmarks.Historian;

/// <summary>
/// Points per second from MQTT into InfluxDB per historian instance, against a plain batched line-protocol
/// HTTP writer (gzip, 5,000 lines per request) writing the same points to the same server: the limit.
/// Each iteration queues <see cref="Messages"/> KPI messages (3 points each) in the historian's persistent
/// session at Mosquitto, then measures from the historian's start until InfluxDB has accepted every point.
/// Servers: Debian's influxd (v1 /write) and victoria-metrics (v2 /api/v2/write). See docs/PERFORMANCE.md.
/// Each iteration also prints what BenchmarkDotNet does not see: the steady-state rate (from the first message the
/// historian queued, so without host start and session resume) and the CPU time per point of this process, of
/// Mosquitto and of the server (from /proc), i.e. what each part costs of the box's 2 cores.
/// </summary>
[Config(typeof(HistorianBenchmarkConfig))]
public class HistorianThroughputBenchmarks
{
    // 300,000 points an iteration, so host start-up weighs less in BenchmarkDotNet's figure; an iteration stays
    // within a few seconds at the rates measured here.
    private const int Messages = 100_000;
    private const int PointsPerMessage = 3;
    private const int Points = Messages * PointsPerMessage;
    private const string ClientId = "bench-historian";

    private ManagedProcess? _mosquitto;
    private string _root = string.Empty;
    private int _mqttPort;
    private InfluxV1Server? _influxd;
    private VictoriaMetricsServer? _victoria;
    private IMqttClient? _publisher;
    private HttpClient? _http;
    private int _iteration;
    private List<byte[]> _payloads = [];
    private List<string> _lines = [];

    [Params("influxd-v1", "victoria-metrics-v2")]
    public string Server { get; set; } = "influxd-v1";

    [GlobalSetup]
    public async Task GlobalSetupAsync()
    {
        _root = Directory.CreateTempSubdirectory("edgeops-bench-").FullName;
        _mqttPort = FreePort.Next();
        var config = Path.Combine(_root, "mosquitto.conf");
        await File.WriteAllTextAsync(config, string.Create(CultureInfo.InvariantCulture,
            $"listener {_mqttPort} 127.0.0.1\nallow_anonymous true\npersistence false\nmax_inflight_messages 0\nmax_queued_messages 0\nmax_queued_bytes 0\n"));
        _mosquitto = ManagedProcess.Start(ManagedProcess.Require("mosquitto", "apt-get install mosquitto"), ["-c", config], _root);
        await FreePort.WaitUntilListeningAsync(_mqttPort, TimeSpan.FromSeconds(15), () => _mosquitto.Output);
        if (Server == "influxd-v1")
        {
            _influxd = new InfluxV1Server();
            await _influxd.StartAsync();
            await _influxd.CreateDatabaseAsync("bench");
        }
        else
        {
            _victoria = new VictoriaMetricsServer();
            await _victoria.StartAsync();
        }

        _http = new HttpClient();
        _publisher = new MqttClientFactory().CreateMqttClient();
        await _publisher.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", _mqttPort)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500).WithClientId("bench-line").Build());

        // Create the historian's persistent session once, so messages queue for it while it is not running.
        using var host = BuildHistorian();
        await host.StartAsync();
        // Subscribed, not just connected: stopping before the SUBACK left a session without the subscription, and the
        // iterations then waited for messages that were never queued for it.
        await WaitAsync(() => host.Services.GetRequiredService<HistorianService>().IsSubscribed, TimeSpan.FromSeconds(20));
        await host.StopAsync();
    }

    [IterationSetup(Target = nameof(Historian))]
    public void QueueMessages()
    {
        Prepare();
        QueueAsync().GetAwaiter().GetResult();
    }

    [IterationSetup(Target = nameof(PlainWriter))]
    public void PrepareLines() => Prepare();

    [Benchmark(OperationsPerInvoke = Points)]
    public async Task Historian()
    {
        var cpu = CpuNow();
        var started = Stopwatch.GetTimestamp();
        using var host = BuildHistorian();
        await host.StartAsync();
        var ingest = host.Services.GetRequiredService<InfluxIngest>();
        // Written and acknowledged: stopping with acknowledgements outstanding would hand the next iteration
        // redeliveries that count as written without having been queued for it.
        await WaitAsync(() => ingest.Written >= Points && ingest.Acknowledged >= Messages, TimeSpan.FromMinutes(5));
        var done = Stopwatch.GetTimestamp();
        await host.StopAsync();
        // The host's TimeProvider is TimeProvider.System: its timestamps are Stopwatch's.
        var first = ingest.FirstEnqueuedTimestamp;
        var steady = Stopwatch.GetElapsedTime(first, done);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"// steady {nameof(Historian)} {Server}: {Points / steady.TotalSeconds / 1000:F1} k points/s from the first message ({steady.TotalMilliseconds:F0} ms; host start to first message {Stopwatch.GetElapsedTime(started, first).TotalMilliseconds:F0} ms, whole iteration {Points / Stopwatch.GetElapsedTime(started, done).TotalSeconds / 1000:F1} k points/s)"));
        ReportCpu(nameof(Historian), cpu);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Points)]
    public async Task PlainWriter()
    {
        var cpu = CpuNow();
        var uri = _influxd is not null
            ? new Uri(_influxd.Url, "write?db=bench&precision=ns")
            : new Uri(_victoria!.Url, "api/v2/write?org=edgeops&bucket=edgeops&precision=ns");
        for (var start = 0; start < _lines.Count; start += 5000)
        {
            var text = new StringBuilder();
            for (var i = start; i < Math.Min(start + 5000, _lines.Count); i++)
            {
                text.Append(_lines[i]).Append('\n');
            }

            using var buffer = new MemoryStream();
            await using (var zip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
            {
                await zip.WriteAsync(Encoding.UTF8.GetBytes(text.ToString()));
            }

            using var content = new ByteArrayContent(buffer.ToArray());
            content.Headers.ContentEncoding.Add("gzip");
            content.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
            using var response = await _http!.PostAsync(uri, content);
            response.EnsureSuccessStatusCode();
        }

        ReportCpu(nameof(PlainWriter), cpu);
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        _publisher?.Dispose();
        _http?.Dispose();
        if (_influxd is not null)
        {
            await _influxd.DisposeAsync();
        }

        if (_victoria is not null)
        {
            await _victoria.DisposeAsync();
        }

        _mosquitto?.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    /// <summary>Fresh timestamps every iteration, so each one writes new points rather than overwriting.</summary>
    private void Prepare()
    {
        _iteration++;
        var t0 = DateTimeOffset.UtcNow.AddHours(-12).AddMinutes(_iteration * 30);
        t0 = t0.AddTicks(-(t0.Ticks % TimeSpan.TicksPerMillisecond));
        _payloads = new List<byte[]>(Messages);
        _lines = new List<string>(Points);
        var points = new List<InfluxPoint>(PointsPerMessage);
        for (var i = 0; i < Messages; i++)
        {
            var machine = "m" + (i % 50).ToString(CultureInfo.InvariantCulture);
            var ts = t0.AddMilliseconds(i).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
            var json = string.Create(CultureInfo.InvariantCulture,
                $$$"""{"schema":"edgeops.kpi/1","seq":{{{i}}},"ts":"{{{ts}}}","machine":"{{{machine}}}","coverage":1,"stale":false,"oee":{{{0.5 + (i % 100 / 1000.0)}}},"availability":0.9,"performance":0.95,"quality":0.98,"plannedProductionTimeS":3600,"runTimeS":3240,"throughput":{"perHour1m":118,"perHour15m":121.5,"perHourShift":120.25},"idealCycleTimeS":25,"downtime":{"totalS":360,"stopCount":3,"microStopCount":{{{i % 9}}},"microStopS":95.5,"byReason":[{"code":"jam","label":"Jam","seconds":240,"count":2},{"code":"starved","label":"Starved","seconds":120,"count":1}]},"capacity":{"theoreticalOutput":144,"targetOutput":130,"projectedOutput":125,"utilization":0.9}}""");
            var bytes = Encoding.UTF8.GetBytes(json);
            _payloads.Add(bytes);
            points.Clear();
            ContractPointMapper.Map($"edgeops/v1/plant/area/line/{machine}/kpi", bytes, points, out _);
            _lines.AddRange(points.Select(p => p.ToLineProtocol()));
        }
    }

    private async Task QueueAsync()
    {
        const int Window = 2000;
        var pending = new List<Task>(Window);
        for (var i = 0; i < _payloads.Count; i++)
        {
            var machine = "m" + (i % 50).ToString(CultureInfo.InvariantCulture);
            var message = new MqttApplicationMessageBuilder()
                .WithTopic($"edgeops/v1/plant/area/line/{machine}/kpi")
                .WithPayload(_payloads[i])
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                .Build();
            pending.Add(_publisher!.PublishAsync(message));
            if (pending.Count == Window)
            {
                await Task.WhenAll(pending);
                pending.Clear();
            }
        }

        await Task.WhenAll(pending);
    }

    private IHost BuildHistorian()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], ContentRootPath = _root });
        var settings = new Dictionary<string, string?>
        {
            ["Historian:DataDirectory"] = Path.Combine(_root, "historian"),
            ["Historian:Mqtt:Host"] = "127.0.0.1",
            ["Historian:Mqtt:Port"] = _mqttPort.ToString(CultureInfo.InvariantCulture),
            ["Historian:Mqtt:ClientId"] = ClientId,
            ["Logging:LogLevel:Default"] = "Warning",
        };
        if (_influxd is not null)
        {
            settings["Historian:Influx:Api"] = "V1";
            settings["Historian:Influx:Url"] = _influxd.Url.ToString();
            settings["Historian:Influx:Database"] = "bench";
        }
        else
        {
            settings["Historian:Influx:Api"] = "V2";
            settings["Historian:Influx:Url"] = _victoria!.Url.ToString();
            settings["Historian:Influx:Org"] = "edgeops";
            settings["Historian:Influx:Bucket"] = "edgeops";
            settings["Historian:Influx:Token"] = "bench";
        }

        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddHistorian();
        return builder.Build();
    }

    private CpuSnapshot CpuNow() => new(
        Process.GetCurrentProcess().TotalProcessorTime,
        ProcessCpu.Of(_mosquitto?.Pid),
        ProcessCpu.Of(_influxd?.Pid ?? _victoria?.Pid));

    /// <summary>
    /// CPU time per point during the iteration of this process (the historian or the plain writer runs in it), of
    /// Mosquitto and of the server: on a shared box these vary far less with the load than the wall-clock time does,
    /// and together they say how much of the box one point costs. /proc counts in ticks of 1/<see cref="ProcessCpu.ClockTicks"/> s.
    /// </summary>
    private void ReportCpu(string method, CpuSnapshot before)
    {
        var after = CpuNow();
        static string PerPoint(TimeSpan? from, TimeSpan? to) =>
            from is { } a && to is { } b ? ((b - a).TotalMilliseconds * 1000 / Points).ToString("F2", CultureInfo.InvariantCulture) : "n/a";
        var server = _influxd is not null ? "influxd" : "victoria-metrics";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"// cpu {method} {Server}: us/point this process {PerPoint(before.Self, after.Self)}, mosquitto {PerPoint(before.Mosquitto, after.Mosquitto)}, {server} {PerPoint(before.Server, after.Server)}"));
    }

    private static async Task WaitAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("Benchmark condition not reached.");
            }

            await Task.Delay(5);
        }
    }

    private readonly record struct CpuSnapshot(TimeSpan Self, TimeSpan? Mosquitto, TimeSpan? Server);
}

/// <summary>
/// One launch, three warm-ups and five measured iterations (each moves 300,000 points), in process: the work is
/// I/O between four processes, and the generated-project build alone outlasts BenchmarkDotNet's timeout here.
/// Three warm-ups, because code that runs once per batch (about 60 batches an iteration, spread over the workers)
/// reaches tiered compilation's optimised tier only after a few iterations: with one warm-up the first measured
/// iteration still cost 30-40 % more CPU per point than the later ones.
/// </summary>
internal sealed class HistorianBenchmarkConfig : ManualConfig
{
    public HistorianBenchmarkConfig()
    {
        AddJob(Job.Default
            .WithStrategy(RunStrategy.Monitoring)
            .WithLaunchCount(1)
            .WithWarmupCount(3)
            .WithIterationCount(5)
            .WithToolchain(InProcessEmitToolchain.Instance));
    }
}
