using System.Net.Http.Json;
using System.Text.Json;
using EdgeOps.TestSupport;
using EdgeOps.TestSupport.Gateway;

namespace EdgeOps.Gateway.Tests.Orders;

/// <summary>
/// A running production order survives a power cut: the real gateway (demo line with products), an order started from
/// the board's API, the process killed with SIGKILL and restarted on the same data directory. The order is still
/// running with its id, product, quantity, due time, release and who started it, its counts off by at most one
/// checkpoint, and it completes afterwards with a cycle time measured from its first release.
/// </summary>
public sealed class OrderRestartTests : IDisposable
{
    // Monday 2026-11-23, 07:00 in Berlin: the early shift runs, before its first break.
    private const string Start = "2026-11-23T06:00:00Z";
    private const string Machine = "press";
    private readonly string _dir = Directory.CreateTempSubdirectory("edgeops-order-restart-").FullName;

    [Fact]
    public async Task RunningOrder_SurvivesAKill_AndCompletesAfterTheRestart()
    {
        var demo = await File.ReadAllTextAsync(RepoPaths.File("firmware-config", "lines", "demo-line.yaml"));
        var config = Path.Combine(_dir, "line.yaml");
        await File.WriteAllTextAsync(config, DemoLineWithProducts.From(demo));
        string[] args =
        [
            "--config", config,
            "--data", Path.Combine(_dir, "data"),
            $"--EdgeOps:Simulator:Start={Start}",
            "--EdgeOps:Simulator:Speed=10",
            "--EdgeOps:ConsoleSummaryInterval=00:00:00",
            "--Logging:LogLevel:Default=Warning",
        ];

        JsonElement before;
        string product;
        using (var first = await GatewayProcess.StartAsync(args))
        {
            product = (await first.GetJsonAsync("/api/products"))[1].GetProperty("id").GetString()!;
            using (var http = Http(first))
            {
                using var started = await http.PostAsJsonAsync(new Uri($"/api/orders/{Machine}/start", UriKind.Relative),
                    new { orderId = "PO-R1", product, quantity = 100_000, due = "2026-11-23T12:00:00Z", who = "anna" });
                Assert.True(started.IsSuccessStatusCode, await started.Content.ReadAsStringAsync());
            }

            await first.WaitForJsonAsync("/api/line", l => Order(l) is { ValueKind: JsonValueKind.Object } o
                && o.GetProperty("counts").GetProperty("good").GetInt64() >= 10, TimeSpan.FromSeconds(90));
            // At least one more checkpoint (1 s) after the reading, then cut the power.
            await Task.Delay(TimeSpan.FromSeconds(1.5));
            before = Order(await first.GetJsonAsync("/api/line")).Clone();
            first.Kill();
        }

        // Restarted nearly frozen (a simulated second takes 100 real ones): what we read is what was restored.
        using var second = await GatewayProcess.StartAsync([.. args, "--EdgeOps:Simulator:Speed=0.01"]);
        var after = Order(await second.WaitForJsonAsync("/api/line", l => Order(l).ValueKind == JsonValueKind.Object, TimeSpan.FromSeconds(30)));

        Assert.Equal(("PO-R1", "running", product, 100_000L, "board:anna"),
            (after.GetProperty("orderId").GetString(), after.GetProperty("status").GetString(), after.GetProperty("productId").GetString(),
                after.GetProperty("quantity").GetInt64(), after.GetProperty("startedBy").GetString()));
        Assert.Equal(before.GetProperty("start").GetDateTimeOffset(), after.GetProperty("start").GetDateTimeOffset());
        Assert.Equal(before.GetProperty("due").GetDateTimeOffset(), after.GetProperty("due").GetDateTimeOffset());
        // At most one checkpoint (1 s real = 10 s simulated, 2 s ideal cycle on the press: 5 strokes) lost; allow jitter.
        var good = before.GetProperty("counts").GetProperty("good").GetInt64();
        Assert.InRange(after.GetProperty("counts").GetProperty("good").GetInt64(), good - 8, good + 3);
        Assert.Equal(product, Press(await second.GetJsonAsync("/api/line")).GetProperty("productId").GetString());

        // It completes after the restart, its cycle time from the release before the power cut.
        using var client = Http(second);
        using var completed = await client.PostAsJsonAsync(new Uri($"/api/orders/{Machine}/complete", UriKind.Relative), new { orderId = "PO-R1" });
        var answer = await completed.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(completed.IsSuccessStatusCode, answer.ToString());
        var record = answer.GetProperty("order");
        Assert.Equal("completed", record.GetProperty("status").GetString());
        Assert.Equal(before.GetProperty("start").GetDateTimeOffset(), record.GetProperty("start").GetDateTimeOffset());
        Assert.True(record.GetProperty("end").GetDateTimeOffset() > before.GetProperty("start").GetDateTimeOffset(), record.ToString());
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static HttpClient Http(GatewayProcess gateway) =>
        new() { BaseAddress = new Uri($"http://127.0.0.1:{gateway.WebPort}"), Timeout = TimeSpan.FromSeconds(10) };

    private static JsonElement Press(JsonElement line) =>
        line.GetProperty("machines").EnumerateArray().Single(m => m.GetProperty("machineId").GetString() == Machine);

    private static JsonElement Order(JsonElement line) => Press(line).GetProperty("order");
}
