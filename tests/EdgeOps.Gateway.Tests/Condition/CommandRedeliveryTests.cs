using System.Globalization;
using System.Text.Json;
using EdgeOps.TestSupport;
using EdgeOps.TestSupport.Gateway;
using EdgeOps.TestSupport.Mosquitto;
using EdgeOps.TestSupport.Mqtt;

namespace EdgeOps.Gateway.Tests.Condition;

/// <summary>
/// reset-maintenance through the real gateway process and Mosquitto: a command delivered again after the gateway was
/// SIGKILLed (waiting in its persistent session, as a redelivery does) is answered, not applied a second time, because
/// the applied request ids are on disk; an expired command is refused and changes nothing.
/// </summary>
public sealed class CommandRedeliveryTests : IAsyncLifetime
{
    private const string Start = "2026-11-23T06:00:00Z";
    private const string Machine = "edgeops/v1/plant-leipzig/body-shop/condition-test/press";
    private const string Command = Machine + "/cmd/reset-maintenance";
    private static readonly string LineFile = RepoPaths.File("tests", "EdgeOps.Gateway.Tests", "Condition", "condition-line.yaml");
    private readonly string _data = Directory.CreateTempSubdirectory("edgeops-redelivery-").FullName;
    private MosquittoBroker _broker = null!;

    public async Task InitializeAsync() => _broker = await MosquittoBroker.StartAsync();

    public async Task DisposeAsync()
    {
        await _broker.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }

    [Fact]
    public async Task ResetMaintenance_RedeliveredAfterAKill_IsAnsweredNotReapplied_AndAnExpiredOneIsRefused()
    {
        await using var mes = await TestSubscriber.StartAsync(_broker.Host, _broker.Port, Machine + "/#");
        var payload = JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["requestId"] = "wo-4711",
            ["item"] = "lubrication",
            ["operator"] = "j.doe",
            ["ts"] = Now(),
        });

        string firstResetAt;
        double usedBeforeKill;
        using (var first = await StartGatewayAsync())
        {
            await first.WaitForJsonAsync("/api/condition/press", c => Lubrication(c)?.GetProperty("runHours").GetDouble() >= 0.2, TimeSpan.FromSeconds(60));
            await mes.PublishAsync(Command, payload);
            var applied = await ReplyAsync(mes, "wo-4711", 1);
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
        using var second = await StartGatewayAsync();
        var again = await ReplyAsync(mes, "wo-4711", 2);
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
        var expired = await ReplyAsync(mes, "wo-late", 1);
        Assert.False(expired.GetProperty("ok").GetBoolean());
        Assert.StartsWith("expired:", expired.GetProperty("error").GetString(), StringComparison.Ordinal);
        var unchanged = Lubrication(await second.GetJsonAsync("/api/condition/press"))!.Value;
        Assert.Equal(firstResetAt, unchanged.GetProperty("lastResetAt").GetString());
        Assert.Single(mes.Received, r => r.Topic == Machine + "/events" && r.Json.GetProperty("type").GetString() == "maintenanceReset");
    }

    private Task<GatewayProcess> StartGatewayAsync() => GatewayProcess.StartAsync(
    [
        "--config", LineFile,
        "--data", _data,
        $"--EdgeOps:Simulator:Start={Start}",
        "--EdgeOps:Simulator:Speed=240",
        $"--EdgeOps:Mqtt:Broker=mqtt://127.0.0.1:{_broker.Port}",
        "--EdgeOps:Mqtt:ReconnectMaxDelay=00:00:01",
        "--EdgeOps:ConsoleSummaryInterval=00:00:00",
    ]);

    private static string Now() => DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    /// <summary>Waits for the <paramref name="count"/>-th reply to <paramref name="requestId"/> and returns it.</summary>
    private static async Task<JsonElement> ReplyAsync(TestSubscriber subscriber, string requestId, int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var replies = subscriber.Received.Where(r => r.Topic == Command + "/reply"
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

    private static JsonElement? Lubrication(JsonElement condition) =>
        condition.GetProperty("maintenance").ValueKind == JsonValueKind.Object
            ? condition.GetProperty("maintenance").GetProperty("items").EnumerateArray().Single(i => i.GetProperty("item").GetString() == "lubrication")
            : null;
}
