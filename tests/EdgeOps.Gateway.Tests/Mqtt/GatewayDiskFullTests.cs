using System.Net;
using System.Text.Json;
using EdgeOps.Contract;
using EdgeOps.Publishing.Mqtt;
using EdgeOps.Publishing.Tests.Support;
using EdgeOps.TestSupport;
using EdgeOps.TestSupport.Mosquitto;
using EdgeOps.TestSupport.Mqtt;
using EdgeOps.TestSupport.Storage;
using GatewayHostProcess = EdgeOps.TestSupport.Gateway.GatewayProcess;

namespace EdgeOps.Gateway.Tests.Mqtt;

/// <summary>
/// The real gateway with its data directory on a 24 MiB tmpfs, the simulated demo line running fast, a real Mosquitto:
/// the disk goes below the guard's floor (alarm, metric, /readyz), then, during a broker outage so the outbox must grow,
/// full to the last byte; then the space and the broker return. Every event the engine produced arrives.
/// </summary>
public sealed class GatewayDiskFullTests : IAsyncLifetime
{
    private const long Floor = 8L * 1024 * 1024;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(90);
    private static readonly string[] Machines = ["press", "welder", "packer"];
    private readonly string _directory = Directory.CreateTempSubdirectory("edgeops-gw-diskfull-").FullName;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private SmallDisk _disk = null!;
    private MosquittoBroker _broker = null!;
    private TestSubscriber _subscriber = null!;
    private GatewayHostProcess? _gateway;

    public async Task InitializeAsync()
    {
        _disk = SmallDisk.Mount(24L * 1024 * 1024);
        _broker = await MosquittoBroker.StartAsync();
        _subscriber = await TestSubscriber.StartAsync(_broker.Host, _broker.Port, "edgeops/v1/#");
    }

    [Fact]
    public async Task DiskBelowFloorThenFull_AlarmMetricAndReadyzBeforeSqliteFails_NoEventLostOnceSpaceReturns()
    {
        const string site = "diskfull";
        var lineFile = Path.Combine(_directory, "line.yaml");
        var demo = await File.ReadAllTextAsync(RepoPaths.File("firmware-config", "lines", "demo-line.yaml"));
        await File.WriteAllTextAsync(lineFile, demo.Replace("site: plant-leipzig\n", $"site: {site}\n", StringComparison.Ordinal));
        _gateway = await GatewayHostProcess.StartAsync(
        [
            "--config", lineFile,
            "--data", Path.Combine(_disk.Path, "data"),
            "--EdgeOps:GatewayId=gw-diskfull",
            $"--EdgeOps:Mqtt:Broker=mqtt://127.0.0.1:{_broker.Port}",
            "--EdgeOps:Mqtt:ReconnectMinDelay=00:00:00.200",
            "--EdgeOps:Mqtt:ReconnectMaxDelay=00:00:01",
            "--EdgeOps:Simulator:Speed=500",
            "--EdgeOps:Simulator:Start=2026-11-23T05:30:00Z",
            "--EdgeOps:ConsoleSummaryInterval=00:00:00",
            $"--EdgeOps:Storage:MinFreeBytes={Floor}",
            "--EdgeOps:Storage:CheckInterval=00:00:00.200",
        ], timeout: Wait);
        var eventTopics = Machines.Select(m => MqttTopics.Machine(site, "body-shop", "line-1", m).Events).ToHashSet();
        var alarmsTopic = MqttTopics.GatewayAlarms(site, "gw-diskfull");
        await _subscriber.WaitForAsync(r => eventTopics.Contains(r.Topic), Wait, "events from the gateway");
        await WaitForReadyzAsync(r => r.Body.Contains("storage: ready", StringComparison.Ordinal), "storage ready at start");

        // 1. Below the floor, SQLite still writing: alarm (log, retained topic), metric, /readyz unready.
        _disk.Fill(leaveBytes: Floor / 2);
        var unready = await WaitForReadyzAsync(r => r.Status == HttpStatusCode.ServiceUnavailable
            && r.Body.Contains("storage: NOT READY", StringComparison.Ordinal), "storage unready below the floor");
        Assert.Contains("disk-space-low", unready.Body, StringComparison.Ordinal);
        Assert.Contains("EdgeOps:Storage:MinFreeBytes", unready.Body, StringComparison.Ordinal);
        var metrics = await _http.GetStringAsync(Url("/metrics"));
        Assert.Matches(@"edgeops_storage_low\{[^}]*\} 1", metrics);
        var alarm = await _subscriber.WaitForAsync(r => r.Topic == alarmsTopic && r.Json.GetProperty("active").GetArrayLength() == 1,
            Wait, "the retained disk-space-low gateway alarm");
        Assert.Equal("disk-space-low", alarm.Json.GetProperty("active")[0].GetProperty("alarm").GetString());
        var schemaErrors = (await ContractSchemas.LoadAsync(ContractSchemas.FileFor("edgeops.alarms/1"))).Validate(alarm.Text);
        Assert.True(schemaErrors.Count == 0, string.Join("; ", schemaErrors.Select(e => $"{e.Path} {e.Kind}")) + "\n" + alarm.Text);
        Assert.DoesNotContain("refused a write", _gateway.Output, StringComparison.Ordinal);

        // 2. A broker outage, so the outbox has to grow, and the disk full to the last byte: writes are refused.
        await _broker.StopAsync();
        _disk.Fill(leaveBytes: 0);
        await WaitForOutputAsync("refused a write");
        var atRefusal = Latest(await EventsAsync());
        await _gateway.WaitForJsonAsync("/api/events",
            events => events.EnumerateArray().Count(e => Timestamp(e) > atRefusal) >= 20, Wait);

        // 3. Space returns (the held events are written, the alarm clears), then the broker.
        _disk.Free();
        await WaitForOutputAsync("writes again");
        await WaitForReadyzAsync(r => r.Body.Contains("storage: ready", StringComparison.Ordinal), "storage ready once space returned");
        await _broker.StartAgainAsync();
        await _subscriber.WaitForAsync(r => r.Topic == alarmsTopic && r.Json.GetProperty("active").GetArrayLength() == 0,
            Wait, "the cleared gateway alarms");

        // Every published event the engine produced (its last 500, which reach back before the refusal) arrives.
        var produced = (await EventsAsync()).Where(e => e.GetProperty("kind").GetString() != "lateDataDropped").ToList();
        Assert.True(produced.Min(Timestamp) < atRefusal, "the engine's recent events do not reach back to the refusal: the check would miss events");
        var missing = new List<string>();
        var deadline = DateTime.UtcNow + Wait;
        do
        {
            var received = _subscriber.Received.Where(r => eventTopics.Contains(r.Topic))
                .Select(r => r.Json).DistinctBy(j => (j.GetProperty("machine").GetString(), j.GetProperty("seq").GetInt64()))
                .GroupBy(j => (j.GetProperty("machine").GetString()!, j.GetProperty("at").GetDateTimeOffset().ToUnixTimeMilliseconds()))
                .ToDictionary(g => g.Key, g => g.Count());
            // The payload's "at" has milliseconds (truncated), the engine's timestamp ticks.
            missing = produced.GroupBy(e => (e.GetProperty("machineId").GetString()!, Timestamp(e).ToUnixTimeMilliseconds()))
                .Where(g => received.GetValueOrDefault(g.Key) < g.Count())
                .Select(g => $"{g.Key.Item1} {DateTimeOffset.FromUnixTimeMilliseconds(g.Key.Item2):O} x{g.Count()}").ToList();
            if (missing.Count == 0)
            {
                break;
            }

            await Task.Delay(500);
        }
        while (DateTime.UtcNow < deadline);

        Assert.True(missing.Count == 0, $"{missing.Count} events never arrived: {string.Join(", ", missing.Take(20))}\n{_gateway.Output}");
        Assert.False(_gateway.HasExited, "the gateway stopped");
    }

    public async Task DisposeAsync()
    {
        _gateway?.Dispose();
        _http.Dispose();
        await _subscriber.DisposeAsync();
        await _broker.DisposeAsync();
        _disk.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp directory.
        }
    }

    private static DateTimeOffset Timestamp(JsonElement e) => e.GetProperty("timestamp").GetDateTimeOffset();

    private static DateTimeOffset Latest(IEnumerable<JsonElement> events) =>
        events.Select(Timestamp).DefaultIfEmpty(DateTimeOffset.MinValue).Max();

    private async Task<IEnumerable<JsonElement>> EventsAsync() => (await _gateway!.GetJsonAsync("/api/events")).EnumerateArray();

    private Uri Url(string path) => new($"http://127.0.0.1:{_gateway!.WebPort}{path}");

    private async Task<(HttpStatusCode Status, string Body)> WaitForReadyzAsync(Func<(HttpStatusCode Status, string Body), bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Wait;
        (HttpStatusCode, string) last = default;
        while (DateTime.UtcNow < deadline)
        {
            using var response = await _http.GetAsync(Url("/readyz"));
            last = (response.StatusCode, await response.Content.ReadAsStringAsync());
            if (condition(last))
            {
                return last;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"/readyz: no {what} within {Wait}. Last: {last}\n{_gateway!.Output}");
    }

    private async Task WaitForOutputAsync(string text)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (!_gateway!.Output.Contains(text, StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > deadline || _gateway.HasExited)
            {
                throw new TimeoutException($"The gateway never logged '{text}'.\n{_gateway.Output}");
            }

            await Task.Delay(100);
        }
    }
}
