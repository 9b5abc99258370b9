using System.Diagnostics.Metrics;
using EdgeOps.Contract;
using EdgeOps.Publishing.Mqtt;
using EdgeOps.Publishing.Outbox;
using EdgeOps.Publishing.Tests.Support;
using EdgeOps.TestSupport.Mosquitto;
using EdgeOps.TestSupport.Mqtt;

namespace EdgeOps.Publishing.Tests;

/// <summary>
/// One 30 s Mosquitto outage (EDGEOPS_MQTT_OUTAGE_SECONDS to change it), shared by two in-process publishers with
/// generated traffic whose exact counts the test knows: A with the default bound, B with a tiny bound. A central
/// subscriber with a persistent session watches everything. The real gateway process on the simulated line, killed
/// during an outage, is in <see cref="Gateway.GatewayOutageTests"/>.
/// </summary>
public sealed class OutageFixture : IAsyncLifetime
{
    public const string Site = "plant1";

    private MeterListener? _listener;
    private long _droppedMetric;

    public CapturingLoggerFactory Logs { get; } = new();

    public MosquittoBroker Broker { get; private set; } = null!;

    public TestSubscriber Subscriber { get; private set; } = null!;

    public MachineTopics A { get; } = MqttTopics.Machine(Site, "packaging", "line1", "gateway-a");

    public MachineTopics B { get; } = MqttTopics.Machine(Site, "packaging", "line1", "gateway-b");

    public long EventsA { get; private set; }

    public long EventsB { get; private set; }

    public long KpisB { get; private set; }

    public long DroppedSnapshotsB { get; private set; }

    public long DroppedEventsB { get; private set; }

    public long DroppedMetricB => Interlocked.Read(ref _droppedMetric);

    public TimeSpan Outage { get; } = TimeSpan.FromSeconds(
        int.TryParse(Environment.GetEnvironmentVariable("EDGEOPS_MQTT_OUTAGE_SECONDS"), out var s) ? s : 30);

    public async Task InitializeAsync()
    {
        Broker = await MosquittoBroker.StartAsync();
        Subscriber = await TestSubscriber.StartAsync(Broker.Host, Broker.Port, "edgeops/v1/#");
        var optionsA = Gateways.Options(Broker, gatewayId: "gateway-a") with { Outbox = Gateways.Options(Broker).Outbox with { ReplayRatePerSecond = 2_000 } };
        var optionsB = Gateways.Options(Broker, gatewayId: "gateway-b");
        optionsB = optionsB with { Outbox = optionsB.Outbox with { MaxBytes = 8 * 1024 } };
        ListenForDrops("gateway-b");

        await using var a = Gateways.Create(optionsA, Logs);
        await using var b = Gateways.Create(optionsB, Logs);
        await a.StartAsync(CancellationToken.None);
        await b.StartAsync(CancellationToken.None);

        using var stop = new CancellationTokenSource();
        var generateA = GenerateAsync(a, A, eventsPerSecond: 50, kpiPerSecond: 10, n => EventsA = n, _ => { }, stop.Token);
        var generateB = GenerateAsync(b, B, eventsPerSecond: 10, kpiPerSecond: 20, n => EventsB = n, n => KpisB = n, stop.Token);

        await Task.Delay(TimeSpan.FromSeconds(3));
        await Subscriber.WaitForAsync(r => r.Topic == A.Events, TimeSpan.FromSeconds(20), "events from A");

        await Broker.StopAsync();
        await Task.Delay(Outage);
        await Broker.StartAgainAsync();

        await Task.Delay(TimeSpan.FromSeconds(3));
        await stop.CancelAsync();
        await Task.WhenAll(generateA, generateB);

        await Gateways.WaitUntilAsync(() => a.Outbox.Count == 0 && b.Outbox.Count == 0, TimeSpan.FromSeconds(60),
            () => $"A {a.Outbox.Count}, B {b.Outbox.Count} left\n{Logs.All}");
        DroppedSnapshotsB = b.Outbox.Dropped(MessageKind.Snapshot);
        DroppedEventsB = b.Outbox.Dropped(MessageKind.Event);
        await WaitForSeqAsync(A.Events, EventsA);
        await WaitForSeqAsync(B.Events, EventsB);
        await WaitForSeqAsync(B.Kpi, KpisB);
    }

    public async Task DisposeAsync()
    {
        _listener?.Dispose();

        await Subscriber.DisposeAsync();
        await Broker.DisposeAsync();
    }

    private async Task WaitForSeqAsync(string topic, long seq)
    {
        await Subscriber.WaitForAsync(r => r.Topic == topic && r.Seq == seq, TimeSpan.FromSeconds(60), $"{topic} seq {seq}");
    }

    private void ListenForDrops(string gatewayId)
    {
        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == PublishingMetrics.MeterName && instrument.Name == "edgeops.outbox.dropped")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "gateway" && Equals(tag.Value, gatewayId))
                {
                    Interlocked.Add(ref _droppedMetric, value);
                }
            }
        });
        _listener.Start();
    }

    private static async Task GenerateAsync(MqttPublisher publisher, MachineTopics topics, int eventsPerSecond, int kpiPerSecond,
        Action<long> events, Action<long> kpis, CancellationToken cancellationToken)
    {
        long e = 0;
        long k = 0;
        var started = DateTime.UtcNow;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(20, cancellationToken);
                var elapsed = (DateTime.UtcNow - started).TotalSeconds;
                while (e < elapsed * eventsPerSecond)
                {
                    await publisher.EnqueueAsync(Samples.Event(topics, (int)e), CancellationToken.None);
                    events(++e);
                }

                while (k < elapsed * kpiPerSecond)
                {
                    await publisher.EnqueueAsync(Samples.Kpi(topics, k / 1000.0), CancellationToken.None);
                    kpis(++k);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Generation over.
        }
    }
}

[CollectionDefinition("outage")]
public sealed class OutageCollection : ICollectionFixture<OutageFixture>;

[Collection("outage")]
public sealed class OutageTests(OutageFixture outage)
{
    [Fact]
    public void BrokerOutage_InProcessGateway_SubscriberSeesEveryEventSeqOnceInOrder()
    {
        Assert.True(outage.EventsA > 50 * outage.Outage.TotalSeconds, $"only {outage.EventsA} events generated");
        SeqCheck.EveryOnceInOrder(outage.Subscriber.Received, outage.A.Events, outage.EventsA, "gateway A");
    }

    [Fact]
    public void BrokerOutage_TinyOutboxBound_KeepsEveryEventDropsSnapshotsAndCountsThem()
    {
        SeqCheck.EveryOnceInOrder(outage.Subscriber.Received, outage.B.Events, outage.EventsB, "gateway B");
        Assert.Equal(0, outage.DroppedEventsB);
        Assert.True(outage.DroppedSnapshotsB > 0, "a tiny bound over a long outage must drop superseded snapshots");
        Assert.Equal(outage.DroppedSnapshotsB, outage.DroppedMetricB);

        // Every KPI snapshot either reached the subscriber or was counted as dropped (a few can be both: the broker had
        // them when it went down but its PUBACK never came); the newest always arrives.
        var delivered = outage.Subscriber.Received.Where(r => r.Topic == outage.B.Kpi).Select(r => r.Seq).Distinct().Count();
        Assert.InRange(delivered + outage.DroppedSnapshotsB, outage.KpisB, outage.KpisB + 256);
        Assert.Contains(outage.Subscriber.Received, r => r.Topic == outage.B.Kpi && r.Seq == outage.KpisB);
        Assert.Contains(outage.Logs.Lines, l => l.Contains("dropped snapshot " + outage.B.Kpi, StringComparison.Ordinal));
    }

    [Fact]
    public void BrokerOutage_Reconnects_AreCountedAndLogged()
    {
        Assert.Contains(outage.Logs.Lines, l => l.Contains("MQTT connection lost", StringComparison.Ordinal));
        Assert.True(outage.Logs.Lines.Count(l => l.Contains("MQTT connected to", StringComparison.Ordinal)) >= 4,
            "A and B each connect, lose the broker and connect again");
    }
}
