using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using EdgeOps.Contract;
using EdgeOps.Publishing.Mqtt;
using EdgeOps.Contract.Payloads;
using EdgeOps.Publishing.Outbox;
using Microsoft.Extensions.Logging.Abstractions;
using MQTTnet;
using MQTTnet.Protocol;

namespace EdgeOps.Benchmarks.Mqtt;

/// <summary>
/// Publishing <see cref="Messages"/> QoS 1 events to a real Mosquitto on loopback: a plain MQTTnet loop with the same
/// in-flight window (the limit), the same through <see cref="MqttPublisher"/> with its SQLite outbox, and the outbox
/// replaying a backlog of the same size after an outage (unlimited replay rate). See docs/PERFORMANCE.md, "MQTT".
/// </summary>
[Config(typeof(ShortInProcessConfig))]
[MemoryDiagnoser]
public class MqttPublishBenchmarks
{
    private const int Window = 256;
    private static readonly MachineTopics Topics = MqttTopics.Machine("bench", "area", "line", "machine");

    private BenchMosquitto? _broker;
    private IMqttClient? _plain;
    private MqttPublisher? _publisher;
    private string _directory = string.Empty;
    private byte[] _payload = [];

    [Params(20_000)]
    public int Messages { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _broker = new BenchMosquitto();
        _payload = Event(1).RenderPayload(1);
        _plain = new MqttClientFactory().CreateMqttClient();
        await _plain.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", _broker.Port)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500).WithClientId("bench-plain").Build());
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        if (_plain is not null)
        {
            await _plain.DisconnectAsync();
            _plain.Dispose();
        }

        _broker?.Dispose();
    }

    [Benchmark(Baseline = true, Description = "plain MQTTnet QoS1 loop")]
    public async Task PlainLoop()
    {
        using var window = new SemaphoreSlim(Window);
        var pending = new List<Task>(Messages);
        for (var i = 0; i < Messages; i++)
        {
            await window.WaitAsync();
            var message = new MqttApplicationMessage
            {
                Topic = Topics.Events,
                PayloadSegment = _payload,
                QualityOfServiceLevel = MqttQualityOfServiceLevel.AtLeastOnce,
            };
            pending.Add(_plain!.PublishAsync(message).ContinueWith(_ => window.Release(), TaskScheduler.Default));
        }

        await Task.WhenAll(pending);
    }

    [IterationSetup(Targets = [nameof(WithOutbox), nameof(WithOutboxConcurrent), nameof(WithOutboxBatched)])]
    public void SetupLive()
    {
        _directory = Directory.CreateTempSubdirectory("edgeops-bench-outbox-").FullName;
        _publisher = new MqttPublisher(Options(), TimeProvider.System, NullLoggerFactory.Instance);
        _publisher.StartAsync(CancellationToken.None).GetAwaiter().GetResult();
        while (!_publisher.IsConnected || _publisher.Outbox.Count > 0)
        {
            Thread.Sleep(10);
        }
    }

    [Benchmark(Description = "MqttPublisher with outbox, 256 EnqueueAsync outstanding (group commit)")]
    public async Task WithOutboxConcurrent()
    {
        // The plain loop's shape: up to Window calls outstanding, each released when it completes (here: when durable).
        using var window = new SemaphoreSlim(Window);
        var pending = new List<Task>(Messages);
        for (var i = 0; i < Messages; i++)
        {
            await window.WaitAsync();
            pending.Add(_publisher!.EnqueueAsync(Event(i), CancellationToken.None).AsTask()
                .ContinueWith(_ => window.Release(), TaskScheduler.Default));
        }

        await Task.WhenAll(pending);
        while (_publisher!.Outbox.Count > 0)
        {
            await Task.Delay(1);
        }
    }

    [Benchmark(Description = "MqttPublisher with outbox, one EnqueueAsync at a time")]
    public async Task WithOutbox()
    {
        for (var i = 0; i < Messages; i++)
        {
            await _publisher!.EnqueueAsync(Event(i), CancellationToken.None);
        }

        while (_publisher!.Outbox.Count > 0)
        {
            await Task.Delay(1);
        }
    }

    [Benchmark(Description = "MqttPublisher with outbox, batches of 100 (one commit per engine tick)")]
    public async Task WithOutboxBatched()
    {
        for (var i = 0; i < Messages; i += 100)
        {
            await _publisher!.EnqueueBatchAsync(Enumerable.Range(i, 100).Select(Event).ToArray(), CancellationToken.None);
        }

        while (_publisher!.Outbox.Count > 0)
        {
            await Task.Delay(1);
        }
    }

    [IterationSetup(Target = nameof(Replay))]
    public void SetupBacklog()
    {
        _directory = Directory.CreateTempSubdirectory("edgeops-bench-outbox-").FullName;
        using (var outbox = new DurableOutbox(Options().Outbox, "bench", TimeProvider.System, NullLogger<DurableOutbox>.Instance))
        {
            for (var i = 0; i < Messages; i += 500)
            {
                outbox.EnqueueBatch(Enumerable.Range(i, Math.Min(500, Messages - i)).Select(Event).ToArray());
            }
        }

        _publisher = new MqttPublisher(Options(), TimeProvider.System, NullLoggerFactory.Instance);
    }

    [Benchmark(Description = "outbox replay of a backlog (connect included)")]
    public async Task Replay()
    {
        await _publisher!.StartAsync(CancellationToken.None);
        while (_publisher.Outbox.Count > 0 || !_publisher.IsConnected)
        {
            await Task.Delay(1);
        }
    }

    [IterationCleanup(Targets = [nameof(WithOutbox), nameof(WithOutboxConcurrent), nameof(WithOutboxBatched), nameof(Replay)])]
    public void CleanupPublisher()
    {
        _publisher?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _publisher = null;
        Directory.Delete(_directory, recursive: true);
    }

    private MqttOptions Options() => new()
    {
        Broker = $"mqtt://127.0.0.1:{_broker!.Port}",
        GatewayId = "bench-outbox",
        Site = "bench",
        MaxInFlight = Window,
        Outbox = new OutboxOptions { Path = Path.Combine(_directory, "outbox.db"), ReplayRatePerSecond = 0 },
    };

    /// <summary>A short job in this process: building a separate benchmark exe times out on the shared 2-core box.</summary>
    private sealed class ShortInProcessConfig : ManualConfig
    {
        public ShortInProcessConfig()
        {
            AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithStrategy(RunStrategy.Monitoring)
                .WithLaunchCount(1).WithWarmupCount(1).WithIterationCount(8));
        }
    }

    internal static OutgoingMessage Event(int i) => OutgoingMessage.Json(Topics.Events, MessageKind.Event, new EventPayload
    {
        Ts = new DateTimeOffset(2026, 11, 26, 8, 0, 0, TimeSpan.Zero).AddMilliseconds(i),
        Machine = Topics.MachineId,
        Type = "stopEnded",
        Severity = "info",
        Message = "stop ended after 42 s (Jam at infeed)",
        At = new DateTimeOffset(2026, 11, 26, 8, 0, 0, TimeSpan.Zero),
        State = "down",
        ReasonCode = "jam",
        ReasonLabel = "Jam at infeed",
        DurationS = 42,
    }, PayloadJsonContext.Default.EventPayload);
}
