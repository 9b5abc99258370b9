using System.Globalization;
using System.Text.Json;
using EdgeOps.Contract;
using EdgeOps.Gateway.Cli;
using EdgeOps.Publishing.Tests.Support;
using EdgeOps.TestSupport;
using EdgeOps.TestSupport.Gateway;
using EdgeOps.TestSupport.Mosquitto;
using Xunit.Abstractions;
using EdgeOps.TestSupport.Mqtt;

namespace EdgeOps.Gateway.Tests.Condition;

/// <summary>
/// Condition monitoring through the real gateway process, its simulator and Mosquitto: the degrading press of the
/// simulator (tests/.../Condition/condition-line.yaml) watched on <c>condition/vibration</c>, and the press's
/// maintenance counters across kills and restarts, reset only by the <c>reset-maintenance</c> command and the CLI verb,
/// once per request id (a command delivered again after a SIGKILL is answered, not re-applied), never when expired.
/// </summary>
public sealed class ConditionEndToEndTests(ITestOutputHelper log) : IAsyncLifetime
{
    // Monday 2026-11-23, 07:00 in Berlin: the early shift runs, no breaks configured.
    private const string Start = "2026-11-23T06:00:00Z";
    private const string Machine = "edgeops/v1/plant-leipzig/body-shop/condition-test/press";
    private static readonly string LineFile = RepoPaths.File("tests", "EdgeOps.Gateway.Tests", "Condition", "condition-line.yaml");
    private readonly string _data = Directory.CreateTempSubdirectory("edgeops-condition-").FullName;
    private MosquittoBroker _broker = null!;

    public async Task InitializeAsync() => _broker = await MosquittoBroker.StartAsync();

    public async Task DisposeAsync()
    {
        await _broker.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }

    [Fact]
    public async Task DegradingPress_AnomalyScoreOnConditionTopicRisesBeforeVibrationEntersZoneC()
    {
        await using var subscriber = await TestSubscriber.StartAsync(_broker.Host, _broker.Port, Machine + "/#");
        using var gateway = await StartGatewayAsync(speed: 120);

        // 120× real time: zone C (2.8 mm/s, class II) is about an hour of simulated time away, some 30 s.
        var firstZoneC = await subscriber.WaitForAsync(
            r => r.Topic == Machine + "/condition/vibration" && r.Json.GetProperty("zone").GetString() is "C" or "D",
            TimeSpan.FromSeconds(90), "a vibration window in zone C");
        await subscriber.WaitForAsync(r => IsEvent(r, "alarmRaised", "zone-c"), TimeSpan.FromSeconds(10), "the zone-c alarm event");

        var windows = subscriber.Received
            .Where(r => r.Topic == Machine + "/condition/vibration")
            .Select(r => r.Json)
            .OrderBy(j => j.GetProperty("seq").GetInt64())
            .ToList();
        foreach (var w in windows)
        {
            log.WriteLine($"{w.GetProperty("windowEnd").GetString()} running={w.GetProperty("running")} velocityRms={w.GetProperty("velocityRmsMmS").GetDouble():0.00} "
                + $"zone={w.GetProperty("zone").GetString()} anomaly={(w.TryGetProperty("anomalyScore", out var a) ? a.GetDouble().ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) : "-")} "
                + $"({(w.TryGetProperty("anomalyFeature", out var f) ? f.GetString() : "-")})");
        }

        var zoneCEnd = firstZoneC.Json.GetProperty("windowEnd").GetDateTimeOffset();
        var before = windows.Where(w => w.GetProperty("windowEnd").GetDateTimeOffset() < zoneCEnd).ToList();
        var scored = before.Where(w => w.TryGetProperty("anomalyScore", out _)).ToList();
        Assert.True(scored.Count >= 2, $"only {scored.Count} scored windows before zone C:\n{string.Join('\n', windows)}");

        // The first scored window looks like the baseline; later ones, before any zone C, stand far out of it.
        var firstScore = scored[0].GetProperty("anomalyScore").GetDouble();
        var peak = scored.MaxBy(w => w.GetProperty("anomalyScore").GetDouble());
        var peakScore = peak.GetProperty("anomalyScore").GetDouble();
        Assert.True(firstScore < 4, $"first anomaly score {firstScore}: the baseline did not describe the start");
        Assert.True(peakScore >= 4, $"the anomaly score stayed below 4 (peak {peakScore}) until zone C:\n{string.Join('\n', before)}");
        Assert.All(before, w => Assert.True(w.GetProperty("zone").GetString() is "A" or "B"));
        Assert.True(peak.GetProperty("velocityRmsMmS").GetDouble() < 2.8);

        // The same order on the events topic, and the retained alarm list carried the anomaly alarm.
        var events = subscriber.Received.Where(r => r.Topic == Machine + "/events").OrderBy(r => r.Seq).ToList();
        var anomalyRaised = events.FindIndex(r => IsEvent(r, "alarmRaised", "anomaly"));
        var zoneCRaised = events.FindIndex(r => IsEvent(r, "alarmRaised", "zone-c"));
        Assert.InRange(anomalyRaised, 0, zoneCRaised - 1);
        Assert.Contains(subscriber.Received, r => r.Topic == Machine + "/alarms"
            && r.Json.GetProperty("active").EnumerateArray().Any(a => a.GetProperty("alarm").GetString() == "anomaly"));

        // bearing-temp has publishInterval 12m: at most one of its 6 min windows per 12 min of sample time.
        var temperature = subscriber.Received.Where(r => r.Topic == Machine + "/condition/bearing-temp")
            .Select(r => r.Json.GetProperty("windowEnd").GetDateTimeOffset()).Order().ToList();
        Assert.True(temperature.Count >= 3, $"{temperature.Count} bearing-temp windows published");
        Assert.All(temperature.Zip(temperature.Skip(1)), pair => Assert.True(pair.Second - pair.First >= TimeSpan.FromMinutes(12),
            $"bearing-temp published at {pair.First:O} and {pair.Second:O}"));
        Assert.True(temperature.Count <= (windows.Count / 2) + 1, $"{temperature.Count} bearing-temp vs {windows.Count} vibration windows");

        await AssertMatchContractAsync(subscriber.Received);
    }

    [Fact]
    public async Task MaintenanceCounters_SurviveAKillAndRestarts_AndResetOnlyThroughTheCommandOrTheCli()
    {
        await using var subscriber = await TestSubscriber.StartAsync(_broker.Host, _broker.Port, Machine + "/#");
        JsonElement before;
        using (var first = await StartGatewayAsync(speed: 240))
        {
            await first.WaitForJsonAsync("/api/condition/press",
                c => Lubrication(c) is { } l && l.GetProperty("runHours").GetDouble() >= 0.5 && l.GetProperty("cycles").GetInt64() >= 500,
                TimeSpan.FromSeconds(60));
            // Past at least one more checkpoint (1 s), then a power cut.
            await Task.Delay(TimeSpan.FromSeconds(1.5));
            before = Maintenance(await first.GetJsonAsync("/api/condition/press"));
            first.Kill();
        }

        var alarmsSeqBefore = subscriber.Received.Where(r => r.Topic == Machine + "/alarms").Select(r => r.Seq).DefaultIfEmpty(0).Max();

        // Restarted nearly frozen (a simulated second lasts 100 s), so what we read is what was restored.
        using (var second = await StartGatewayAsync(speed: 0.01))
        {
            var restored = Maintenance(await second.WaitForJsonAsync("/api/condition/press", c => Lubrication(c) is not null, TimeSpan.FromSeconds(10)));
            // One checkpoint interval (1 s real = 240 s simulated) may be lost: 0.067 h and 120 cycles of 2 s.
            AssertNear(before.GetProperty("runHours").GetDouble(), restored.GetProperty("runHours").GetDouble(), 0.07);
            AssertNear(before.GetProperty("cycles").GetInt64(), restored.GetProperty("cycles").GetInt64(), 130);
            var lubrication = Item(restored, "lubrication");
            Assert.True(lubrication.GetProperty("runHours").GetDouble() >= 0.43, $"restored {lubrication}: the counter was reset by the restart");

            // Alarm states are not restored: the retained alarm list is replaced at start, so none is left dangling.
            await subscriber.WaitForAsync(r => r.Topic == Machine + "/alarms" && r.Seq > alarmsSeqBefore && r.Json.GetProperty("active").GetArrayLength() == 0,
                TimeSpan.FromSeconds(10), "the alarm list republished at start");

            // Bad commands are answered naming the problem and change nothing.
            var command = Machine + "/cmd/reset-maintenance";
            await subscriber.PublishAsync(command, """{"requestId":"bad-1","item":"lubrication","by":"j.doe"}""");
            await subscriber.PublishAsync(command, """{"requestId":"bad-2","item":"gearbox","operator":"j.doe"}""");
            await subscriber.PublishAsync(command, """{"requestId":"bad-3","item":42}""");
            Assert.Contains("unknown field 'by'", await ReplyErrorAsync(subscriber, "bad-1"), StringComparison.Ordinal);
            Assert.Contains("no maintenance item 'gearbox'; configured: lubrication, die-change", await ReplyErrorAsync(subscriber, "bad-2"), StringComparison.Ordinal);
            Assert.Contains("field 'item' must be a string", await ReplyErrorAsync(subscriber, "bad-3"), StringComparison.Ordinal);
            var (code, _, error) = await RunCliAsync("maintenance", "reset", "press", "gearbox", "--config", LineFile, "--broker", BrokerUri);
            Assert.Equal(2, code);
            Assert.Contains("no maintenance item 'gearbox'; configured: lubrication, die-change", error, StringComparison.Ordinal);

            var unchanged = Maintenance(await second.GetJsonAsync("/api/condition/press"));
            AssertNear(lubrication.GetProperty("runHours").GetDouble(), Item(unchanged, "lubrication").GetProperty("runHours").GetDouble(), 0.001);
            Assert.False(Item(unchanged, "lubrication").TryGetProperty("lastResetBy", out var by) && by.ValueKind == JsonValueKind.String);
            Assert.DoesNotContain(subscriber.Received, r => IsEvent(r, "maintenanceReset", null));

            // The CLI verb and the MQTT command reset, with who and when.
            (code, var output, error) = await RunCliAsync("maintenance", "reset", "press", "lubrication", "--config", LineFile, "--broker", BrokerUri,
                "--by", "j.doe");
            Assert.True(code == 0, $"cli exit {code}: {error}");
            Assert.Contains("OK press/lubrication", output, StringComparison.Ordinal);
            await subscriber.PublishAsync(command, """{"requestId":"ok-1","item":"die-change","operator":"badge-17"}""");
            var reply = await subscriber.WaitForAsync(r => r.Topic.EndsWith("/reply", StringComparison.Ordinal) && RequestId(r) == "ok-1",
                TimeSpan.FromSeconds(10), "reply ok-1");
            Assert.True(reply.Json.GetProperty("ok").GetBoolean(), reply.Text);

            var lubricated = await subscriber.WaitForAsync(r => IsEvent(r, "maintenanceReset", null)
                && r.Json.GetProperty("details").GetProperty("item").GetString() == "lubrication", TimeSpan.FromSeconds(10), "lubrication reset event");
            var details = lubricated.Json.GetProperty("details");
            Assert.Equal("j.doe", details.GetProperty("by").GetString());
            Assert.True(double.Parse(details.GetProperty("runHours").GetString()!, System.Globalization.CultureInfo.InvariantCulture) >= 0.43);
            Assert.Equal("info", lubricated.Json.GetProperty("severity").GetString());
            await subscriber.WaitForAsync(r => IsEvent(r, "maintenanceReset", null)
                && r.Json.GetProperty("details").GetProperty("by").GetString() == "badge-17", TimeSpan.FromSeconds(10), "die-change reset event");

            var reset = Maintenance(await second.GetJsonAsync("/api/condition/press"));
            Assert.True(Item(reset, "lubrication").GetProperty("runHours").GetDouble() < 0.001);
            Assert.Equal("j.doe", Item(reset, "lubrication").GetProperty("lastResetBy").GetString());
            Assert.Equal(0, Item(reset, "die-change").GetProperty("cycles").GetInt64());
            // Lifetime usage never resets.
            AssertNear(restored.GetProperty("runHours").GetDouble(), reset.GetProperty("runHours").GetDouble(), 0.001);
            await second.StopAsync();
        }

        // The resets are durable too.
        using var third = await StartGatewayAsync(speed: 0.01);
        var after = Maintenance(await third.WaitForJsonAsync("/api/condition/press", c => Lubrication(c) is not null, TimeSpan.FromSeconds(10)));
        Assert.Equal("j.doe", Item(after, "lubrication").GetProperty("lastResetBy").GetString());
        Assert.True(Item(after, "lubrication").GetProperty("runHours").GetDouble() < 0.001);
        Assert.Equal("badge-17", Item(after, "die-change").GetProperty("lastResetBy").GetString());
        AssertNear(before.GetProperty("runHours").GetDouble(), after.GetProperty("runHours").GetDouble(), 0.07);
        await subscriber.WaitForAsync(r => r.Topic == Machine + "/maintenance"
            && r.Json.GetProperty("items").EnumerateArray().Any(i => i.TryGetProperty("lastResetBy", out var b) && b.GetString() == "badge-17"),
            TimeSpan.FromSeconds(10), "the retained maintenance topic after the reset");

        await AssertMatchContractAsync(subscriber.Received);
    }

    [Fact]
    public async Task ResetMaintenance_RedeliveredAfterAKill_IsAnsweredNotReapplied_AndAnExpiredOneIsRefused()
    {
        await using var mes = await TestSubscriber.StartAsync(_broker.Host, _broker.Port, Machine + "/#");
        const string Command = Machine + "/cmd/reset-maintenance";
        var payload = JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["requestId"] = "wo-4711",
            ["item"] = "lubrication",
            ["operator"] = "j.doe",
            ["ts"] = Now(),
        });

        string firstResetAt;
        double usedBeforeKill;
        using (var first = await StartGatewayAsync(speed: 240))
        {
            await first.WaitForJsonAsync("/api/condition/press", c => Lubrication(c)?.GetProperty("runHours").GetDouble() >= 0.2, TimeSpan.FromSeconds(60));
            await mes.PublishAsync(Command, payload);
            var applied = await NthReplyAsync(mes, "wo-4711", 1);
            Assert.True(applied.GetProperty("ok").GetBoolean(), applied.ToString());
            Assert.False(applied.TryGetProperty("duplicate", out _));

            // Usage counts again after the reset; then past a checkpoint (1 s) and a power cut.
            var after = await first.WaitForJsonAsync("/api/condition/press",
                c => Lubrication(c) is { } l && l.TryGetProperty("lastResetAt", out _) && l.GetProperty("runHours").GetDouble() >= 0.1, TimeSpan.FromSeconds(60));
            firstResetAt = Lubrication(after)!.Value.GetProperty("lastResetAt").GetString()!;
            await Task.Delay(TimeSpan.FromSeconds(1.5));
            usedBeforeKill = Lubrication(await first.GetJsonAsync("/api/condition/press"))!.Value.GetProperty("runHours").GetDouble();
            first.Kill();
        }

        // The same command again while the gateway is down: Mosquitto keeps it in the gateway's session and delivers it
        // when the gateway is back, as it does with a command whose PUBACK the kill prevented.
        await mes.PublishAsync(Command, payload);
        using var second = await StartGatewayAsync(speed: 240);
        var again = await NthReplyAsync(mes, "wo-4711", 2);
        Assert.True(again.GetProperty("ok").GetBoolean(), again.ToString());
        Assert.True(again.GetProperty("duplicate").GetBoolean(), again.ToString());

        var restored = Lubrication(await second.GetJsonAsync("/api/condition/press"))!.Value;
        Assert.Equal(firstResetAt, restored.GetProperty("lastResetAt").GetString());
        // Not reset again: the usage since the first reset survived (less at most one checkpoint interval, 240 s simulated).
        Assert.True(restored.GetProperty("runHours").GetDouble() >= usedBeforeKill - 0.07,
            $"lubrication runHours {restored.GetProperty("runHours").GetDouble()} after the redelivery, {usedBeforeKill} before the kill: it was reset again");
        Assert.Single(mes.Received, r => r.Topic == Machine + "/events" && r.Json.GetProperty("type").GetString() == "maintenanceReset");

        // An expired command is refused in the reply and changes nothing.
        await mes.PublishAsync(Command, JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["requestId"] = "wo-late",
            ["item"] = "lubrication",
            ["expiresAt"] = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
        }));
        var expired = await NthReplyAsync(mes, "wo-late", 1);
        Assert.False(expired.GetProperty("ok").GetBoolean());
        Assert.StartsWith("expired:", expired.GetProperty("error").GetString(), StringComparison.Ordinal);
        var unchanged = Lubrication(await second.GetJsonAsync("/api/condition/press"))!.Value;
        Assert.Equal(firstResetAt, unchanged.GetProperty("lastResetAt").GetString());
        Assert.Single(mes.Received, r => r.Topic == Machine + "/events" && r.Json.GetProperty("type").GetString() == "maintenanceReset");
    }

    private string BrokerUri => $"mqtt://127.0.0.1:{_broker.Port}";

    private Task<GatewayProcess> StartGatewayAsync(double speed) => GatewayProcess.StartAsync(
    [
        "--config", LineFile,
        "--data", _data,
        $"--EdgeOps:Simulator:Start={Start}",
        $"--EdgeOps:Simulator:Speed={speed.ToString(System.Globalization.CultureInfo.InvariantCulture)}",
        $"--EdgeOps:Mqtt:Broker={BrokerUri}",
        "--EdgeOps:Mqtt:ReconnectMaxDelay=00:00:01",
        "--EdgeOps:ConsoleSummaryInterval=00:00:00",
    ]);

    private static string Now() => DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    /// <summary>Waits for the <paramref name="count"/>-th reply to <paramref name="requestId"/> and returns it.</summary>
    private static async Task<JsonElement> NthReplyAsync(TestSubscriber subscriber, string requestId, int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var replies = subscriber.Received.Where(r => r.Topic == Machine + "/cmd/reset-maintenance/reply"
                && r.Json.TryGetProperty("requestId", out var id) && id.GetString() == requestId).ToList();
            if (replies.Count >= count)
            {
                Assert.Equal(count, replies.Count);
                return replies[count - 1].Json;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{replies.Count} replies to {requestId}, expected {count}");
            }

            await Task.Delay(100);
        }
    }

    private static async Task<(int Code, string Output, string Error)> RunCliAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var found = CommandDispatcher.Find(args) ?? throw new InvalidOperationException("no verb for " + string.Join(' ', args));
        var code = await found.Command.RunAsync(found.Arguments, output, error, CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }

    private static async Task<string> ReplyErrorAsync(TestSubscriber subscriber, string requestId)
    {
        var reply = await subscriber.WaitForAsync(r => r.Topic.EndsWith("/cmd/reset-maintenance/reply", StringComparison.Ordinal) && RequestId(r) == requestId,
            TimeSpan.FromSeconds(10), "reply " + requestId);
        Assert.False(reply.Json.GetProperty("ok").GetBoolean(), reply.Text);
        return reply.Json.GetProperty("error").GetString()!;
    }

    private static string? RequestId(ReceivedMessage r) =>
        r.Json.TryGetProperty("requestId", out var id) ? id.GetString() : null;

    private static bool IsEvent(ReceivedMessage r, string type, string? alarm) =>
        r.Topic == Machine + "/events" && r.Json.GetProperty("type").GetString() == type
        && (alarm is null || r.Json.GetProperty("details").GetProperty("alarm").GetString() == alarm);

    private static JsonElement Maintenance(JsonElement condition) => condition.GetProperty("maintenance");

    private static JsonElement? Lubrication(JsonElement condition) =>
        condition.GetProperty("maintenance").ValueKind == JsonValueKind.Object ? Item(condition.GetProperty("maintenance"), "lubrication") : null;

    private static JsonElement Item(JsonElement maintenance, string item) =>
        maintenance.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("item").GetString() == item);

    private static void AssertNear(double expected, double actual, double tolerance) =>
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"expected {expected} ± {tolerance}, got {actual}");

    private static async Task AssertMatchContractAsync(IEnumerable<ReceivedMessage> received)
    {
        var checkedSchemas = new HashSet<string>(StringComparer.Ordinal);
        foreach (var message in received.Where(r => !r.Topic.Contains("/cmd/", StringComparison.Ordinal) || r.Topic.EndsWith("/reply", StringComparison.Ordinal)))
        {
            var schemaId = message.Json.GetProperty("schema").GetString()!;
            var schema = await ContractSchemas.LoadAsync(ContractSchemas.FileFor(schemaId));
            var errors = schema.Validate(message.Text);
            Assert.True(errors.Count == 0,
                $"{message.Topic} does not match {schemaId}:\n{string.Join('\n', errors.Select(e => $"{e.Path}: {e.Kind}"))}\n{message.Text}");
            checkedSchemas.Add(schemaId);
        }

        Assert.Contains("edgeops.maintenance/1", checkedSchemas);
    }
}
