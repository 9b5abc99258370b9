using System.Globalization;
using System.Text;
using System.Text.Json;
using EdgeOps.Contract;
using EdgeOps.Publishing.Mqtt;
using EdgeOps.Publishing.Outbox;
using MQTTnet;
using MQTTnet.Protocol;

namespace EdgeOps.Historian.Tests.Support;

/// <summary>
/// The simulated line: publishes contract-shaped payloads (docs/contract, DESIGN.md section 6) for one machine
/// with a real MQTT client, QoS 1, and remembers what it published so a test can compare the database to it.
/// </summary>
public sealed class LinePublisher : IAsyncDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly IMqttClient _client;
    private readonly Dictionary<string, long> _seq = new(StringComparer.Ordinal);

    private LinePublisher(IMqttClient client, string site, string area, string line, string machine)
    {
        _client = client;
        Site = site;
        Area = area;
        Line = line;
        Machine = machine;
    }

    public string Site { get; }

    public string Area { get; }

    public string Line { get; }

    public string Machine { get; }

    public string Prefix => $"edgeops/v1/{Site}/{Area}/{Line}/{Machine}";

    /// <summary>This machine's topics, for messages built by the gateway's own payload mapping.</summary>
    public MachineTopics Topics => MqttTopics.Machine(Site, Area, Line, Machine);

    /// <summary>Every kpi message published: its timestamp (ms) and OEE.</summary>
    public List<(long TsMs, double Oee)> PublishedKpi { get; } = [];

    public static async Task<LinePublisher> ConnectAsync(int port, string machine, string site = "plant1", string area = "assembly", string line = "line1")
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port)
            .WithClientId($"line-{machine}-{Guid.NewGuid():N}")
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
            .Build();
        await client.ConnectAsync(options);
        return new LinePublisher(client, site, area, line, machine);
    }

    public static string Rfc3339(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public Task PublishRawAsync(string topic, string payload, bool retain = false) =>
        PublishBytesAsync(topic, Encoding.UTF8.GetBytes(payload), retain);

    public async Task PublishBytesAsync(string topic, byte[] payload, bool retain = false)
    {
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithRetainFlag(retain)
            .Build();
        var result = await _client.PublishAsync(message);
        if (!result.IsSuccess)
        {
            throw new InvalidOperationException($"Publish to {topic} failed: {result.ReasonCode}");
        }
    }

    /// <summary>A message as the gateway's outbox sends it: the topic's next seq in the payload, retained when it is a snapshot.</summary>
    public Task PublishAsync(OutgoingMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var key = message.Topic.StartsWith(Prefix + "/", StringComparison.Ordinal) ? message.Topic[(Prefix.Length + 1)..] : message.Topic;
        return PublishBytesAsync(message.Topic, message.RenderPayload(message.FixedSeq ?? NextSeq(key)), message.Retain);
    }

    /// <summary>One KPI snapshot with a Pareto of two reasons; <paramref name="i"/> makes the values distinct.</summary>
    public async Task PublishKpiAsync(DateTimeOffset ts, int i, double? currentStopS = null)
    {
        var oee = Math.Round(0.5 + ((i % 400) / 1000.0), 3);
        PublishedKpi.Add((ts.ToUnixTimeMilliseconds(), oee));
        await PublishAsync("kpi", new
        {
            schema = "edgeops.kpi/1",
            seq = NextSeq("kpi"),
            ts = Rfc3339(ts),
            machine = Machine,
            shiftStart = Rfc3339(ts.AddHours(-1)),
            coverage = 1.0,
            stale = false,
            oee,
            availability = 0.9,
            performance = 0.95,
            quality = Math.Round(oee / (0.9 * 0.95), 6),
            firstPassYield = 0.97,
            performanceAboveOne = false,
            plannedProductionTimeS = 3600.0,
            runTimeS = 3240.0,
            throughput = new { perHour1m = 118.0, perHour15m = 121.5, perHourShift = 120.25 },
            actualCycleTimeS = 27.1,
            idealCycleTimeS = 25.0,
            downtime = new
            {
                totalS = 360.0,
                stopCount = 3,
                microStopCount = 7 + (i % 5),
                microStopS = 95.5,
                currentStopS,
                byReason = new[]
                {
                    new { code = "jam", label = "Jam", seconds = 240.0, count = 2 },
                    new { code = "starved", label = "Starved", seconds = 120.0, count = 1 },
                },
            },
            mtbfS = 1620.0,
            mttrS = 120.0,
            capacity = new { theoreticalOutput = 144.0, targetOutput = 130.0, projectedOutput = 125.0 + (i % 3), utilization = 0.9 },
        }, retain: true);
    }

    public Task PublishStateAsync(DateTimeOffset ts, string state, string reasonCode) =>
        PublishAsync("state", new
        {
            schema = "edgeops.state/1",
            seq = NextSeq("state"),
            ts = Rfc3339(ts),
            machine = Machine,
            state,
            reasonCode,
            reasonLabel = reasonCode == "unknown" ? "Unknown" : "Jam at infeed",
            since = Rfc3339(ts.AddMinutes(-3)),
        }, retain: true);

    public Task PublishCountsAsync(DateTimeOffset ts, long good) =>
        PublishAsync("counts", new
        {
            schema = "edgeops.counts/1",
            seq = NextSeq("counts"),
            ts = Rfc3339(ts),
            machine = Machine,
            shiftStart = Rfc3339(ts.AddHours(-1)),
            shift = new { total = good + 4, good, reject = 4, rework = 1 },
            lifetime = new { total = 100_000 + good + 4, good = 99_000 + good, reject = 1004, rework = 31 },
        }, retain: true);

    public Task PublishConditionAsync(DateTimeOffset ts, string signal, double rms, string? zone, double anomalyScore) =>
        PublishAsync($"condition/{signal}", new
        {
            schema = "edgeops.condition/1",
            seq = NextSeq("condition/" + signal),
            ts = Rfc3339(ts),
            sourceTs = Rfc3339(ts.AddMilliseconds(-200)),
            machine = Machine,
            signal,
            unit = signal == "temperature" ? "degC" : "mm/s",
            windowS = 10.0,
            samples = 10_000,
            mean = rms * 0.9,
            rms,
            peak = rms * 1.4,
            peakToPeak = rms * 2.8,
            crestFactor = 1.4,
            kurtosis = 3.1,
            velocityRmsMmS = zone is null ? (double?)null : rms,
            zone,
            anomalyScore,
            trendPerHour = 0.25,
            hoursToThreshold = 120.0 - rms,
        }, retain: true);

    public Task PublishEventAsync(DateTimeOffset at, string type, string? reasonCode, double? durationS, string? signal = null, double? value = null) =>
        PublishAsync("events", new
        {
            schema = "edgeops.event/1",
            seq = NextSeq("events"),
            ts = Rfc3339(at.AddMilliseconds(5)),
            machine = Machine,
            type,
            severity = "warning",
            message = $"{type} on {Machine}",
            at = Rfc3339(at),
            reasonCode,
            reasonLabel = reasonCode,
            durationS,
            signal,
            value,
        }, retain: false);

    public Task PublishShiftAsync(DateTimeOffset end, string name, int revision, double oee = 0.72) =>
        PublishAsync("shift", new
        {
            schema = "edgeops.shift/1",
            seq = NextSeq("shift"),
            ts = Rfc3339(end.AddSeconds(1)),
            machine = Machine,
            name,
            start = Rfc3339(end.AddHours(-8)),
            end = Rfc3339(end),
            revision,
            counts = new { total = 1000, good = 980, reject = 20, rework = 5 },
            oee,
            availability = 0.85,
            performance = 0.9,
            quality = 0.98,
            plannedProductionTimeS = 27000.0,
            runTimeS = 22950.0,
            downtimeS = 4050.0,
            stopCount = 9,
            coverage = 1.0,
        }, retain: true);

    public Task PublishStatusAsync(DateTimeOffset ts, string gatewayId) =>
        PublishBytesAsync($"edgeops/v1/{Site}/_gateways/{gatewayId}/status", JsonSerializer.SerializeToUtf8Bytes(new
        {
            schema = "edgeops.status/1",
            seq = NextSeq("status"),
            ts = Rfc3339(ts),
            gatewayId,
            state = "online",
            version = "0.1.0",
            startedAt = Rfc3339(ts.AddMinutes(-10)),
            uptimeS = 600.0,
            configHash = "abc123",
        }, Json), retain: true);

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected)
        {
            await _client.DisconnectAsync();
        }

        _client.Dispose();
    }

    private Task PublishAsync(string kind, object payload, bool retain) =>
        PublishBytesAsync($"{Prefix}/{kind}", JsonSerializer.SerializeToUtf8Bytes(payload, Json), retain);

    private long NextSeq(string key)
    {
        _seq.TryGetValue(key, out var value);
        _seq[key] = ++value;
        return value;
    }
}
