using System.Globalization;
using System.Text.Json;
using EdgeOps.TestSupport.Browser;
using EdgeOps.TestSupport.Mqtt;
using Microsoft.Playwright;

namespace EdgeOps.Gateway.Tests.Web;

/// <summary>The andon board and machine page in a real headless chromium against the real gateway.</summary>
public sealed class AndonBoardTests(LiveLineFixture fixture) : IClassFixture<LiveLineFixture>
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task Board_ShowsOneTilePerDemoMachine_WithLineHeader()
    {
        var page = await OpenAsync("/");
        var line = await fixture.Gateway.GetJsonAsync("/api/line");
        var ids = line.GetProperty("machines").EnumerateArray().Select(m => m.GetProperty("machineId").GetString()!).ToList();
        Assert.Equal(["press", "welder", "packer"], ids);
        foreach (var id in ids)
        {
            await page.WaitForSelectorAsync($".tile[data-machine='{id}'] .good", new() { Timeout = 5000 });
        }

        Assert.Equal(ids.Count, await page.Locator(".tile").CountAsync());
        Assert.Equal("early", await page.Locator("#shift-name").InnerTextAsync());
        Assert.Matches(@"^\d+h \d\dm$", await page.Locator("#shift-left").InnerTextAsync());
        await page.ScreenshotAsync(new() { Path = Path.Combine(HeadlessBrowser.ArtifactsDirectory, "andon-board.png"), FullPage = true });
    }

    [Fact]
    public async Task Board_WhenTheSimulatorCountsAPart_ShowsTheNewCountWithinASecond()
    {
        var page = await OpenAsync("/");
        await page.WaitForSelectorAsync(".tile[data-machine='packer'] .good");
        var before = await GoodOnPageAsync(page, "packer");
        var counted = await fixture.WaitForMachineAsync(
            m => m.GetProperty("machineId").GetString() == "packer" && Good(m) > before, TimeSpan.FromSeconds(60));

        // From the moment the API has the new count, the page must show it (or later) within a second.
        await page.WaitForFunctionAsync(
            "([id, n]) => Number(document.querySelector(`.tile[data-machine='${id}'] .good`).textContent.replace(/,/g, '')) >= n",
            new object[] { "packer", Good(counted) }, new() { Timeout = (float)Second.TotalMilliseconds });
    }

    [Fact]
    public async Task Board_WhenASimulatedFaultStopsAMachine_TurnsItsTileRedWithTheFaultReason()
    {
        var page = await OpenAsync("/");
        await page.WaitForSelectorAsync(".tile .good");
        var down = await fixture.WaitForMachineAsync(
            m => m.GetProperty("state").GetString() == "down" && m.GetProperty("reasonCode").GetString() != "unknown",
            TimeSpan.FromSeconds(90));
        var id = down.GetProperty("machineId").GetString()!;
        var label = down.GetProperty("reasonLabel").GetString()!;

        await page.WaitForFunctionAsync(
            "([id, label]) => { const t = document.querySelector(`.tile[data-machine='${id}']`); " +
            "return t.dataset.state === 'down' && t.querySelector('.reason').textContent === label; }",
            new object[] { id, label }, new() { Timeout = (float)Second.TotalMilliseconds });
        var tile = page.Locator($".tile[data-machine='{id}']");
        Assert.Equal("rgb(196, 0, 0)", await tile.EvaluateAsync<string>("t => getComputedStyle(t).backgroundColor"));
        // Colour is never the only cue: the state is written out.
        Assert.Contains("DOWN", await tile.Locator(".state").InnerTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MachinePage_WhenTheOperatorPicksAReason_ItAppearsInTheParetoAndAsAnEvent()
    {
        // A stop long enough to be downtime (micro-stop threshold 120 s), still in progress.
        var down = await fixture.WaitForMachineAsync(
            m => m.GetProperty("currentStopId").ValueKind == JsonValueKind.Number
                && m.GetProperty("state").GetString() == "down"
                && !m.GetProperty("currentStopIsMicro").GetBoolean(),
            TimeSpan.FromSeconds(120));
        var id = down.GetProperty("machineId").GetString()!;
        var reason = down.GetProperty("reasonCode").GetString() == "no-operator" ? "quality-check" : "no-operator";

        // A central system subscribed to the machine's events on the gateway's (embedded) broker.
        var topic = $"edgeops/v1/+/+/+/{id}/events";
        await using var central = await TestSubscriber.StartAsync("127.0.0.1", fixture.MqttPort, topic);

        var page = await OpenAsync($"/machine/{id}");
        await page.WaitForSelectorAsync("#stops button.stop.selected", new() { Timeout = 5000 });
        await page.Locator($"#reasons button[data-reason='{reason}']").ClickAsync();
        await page.WaitForFunctionAsync("() => document.getElementById('reason-result').textContent.startsWith('Saved')",
            null, new() { Timeout = 5000 });
        await page.WaitForSelectorAsync($"#chart-pareto g.pareto-row[data-reason='{reason}']", new() { Timeout = 5000 });
        await page.ScreenshotAsync(new() { Path = Path.Combine(HeadlessBrowser.ArtifactsDirectory, $"machine-{id}.png"), FullPage = true });

        var events = await fixture.Gateway.GetJsonAsync("/api/events");
        Assert.Contains(events.EnumerateArray(), e =>
            e.GetProperty("kind").GetString() == "reasonAssigned"
            && e.GetProperty("machineId").GetString() == id
            && e.GetProperty("reasonCode").GetString() == reason
            && e.GetProperty("who").GetString() == "operator");

        // ... and as an MQTT event on the contract's events topic, naming the reason and who picked it.
        var published = (await central.WaitForAsync(
            m => m.Json.GetProperty("type").GetString() == "reasonAssigned" && m.Json.GetProperty("reasonCode").GetString() == reason,
            TimeSpan.FromSeconds(10), $"reasonAssigned event for '{reason}' on {topic}")).Json;
        Assert.Equal("edgeops.event/1", published.GetProperty("schema").GetString());
        Assert.Equal(id, published.GetProperty("machine").GetString());
        Assert.Equal("operator", published.GetProperty("details").GetProperty("who").GetString());
    }

    [Fact]
    public async Task MqttAssignReasonCommand_ChangesTheMachinePagesPareto_LikeATapOnThePage()
    {
        var down = await fixture.WaitForMachineAsync(
            m => m.GetProperty("currentStopId").ValueKind == JsonValueKind.Number
                && m.GetProperty("state").GetString() == "down"
                && !m.GetProperty("currentStopIsMicro").GetBoolean(),
            TimeSpan.FromSeconds(120));
        var id = down.GetProperty("machineId").GetString()!;
        var stopId = down.GetProperty("currentStopId").GetInt64();
        var reason = down.GetProperty("reasonCode").GetString() == "maintenance" ? "electrical" : "maintenance";

        // A central system (MES, a supervisor's app) sends the command to the gateway's broker and reads the reply.
        var prefix = $"edgeops/v1/plant-leipzig/body-shop/line-1/{id}/cmd/assign-reason";
        await using var mes = await TestSubscriber.StartAsync("127.0.0.1", fixture.MqttPort, prefix + "/reply",
            b => b.WithCredentials(LiveLineFixture.CommandsUser, LiveLineFixture.CommandsPassword));
        await mes.PublishAsync(prefix, JsonSerializer.Serialize(new { requestId = "mes-1", reasonCode = reason, stopId, @operator = "shift-lead" }));
        var reply = (await mes.WaitForAsync(_ => true, TimeSpan.FromSeconds(10), $"reply on {prefix}/reply")).Json;
        Assert.True(reply.GetProperty("ok").GetBoolean(), reply.ToString());
        Assert.Equal("mes-1", reply.GetProperty("requestId").GetString());
        // The broker says who sent it; the payload's operator is only a display name next to it.
        Assert.Equal(LiveLineFixture.CommandsUser, reply.GetProperty("user").GetString());
        Assert.Equal("shift-lead", reply.GetProperty("operator").GetString());

        // The machine page's Pareto shows the reason, as when an operator taps it.
        var page = await OpenAsync($"/machine/{id}");
        await page.WaitForSelectorAsync($"#chart-pareto g.pareto-row[data-reason='{reason}']", new() { Timeout = 5000 });
        var events = await fixture.Gateway.GetJsonAsync("/api/events");
        Assert.Contains(events.EnumerateArray(), e =>
            e.GetProperty("kind").GetString() == "reasonAssigned" && e.GetProperty("machineId").GetString() == id
            && e.GetProperty("reasonCode").GetString() == reason && e.GetProperty("who").GetString() == "mes (shift-lead)");
    }

    private static long Good(JsonElement machine) => machine.GetProperty("shiftCounts").GetProperty("good").GetInt64();

    private static async Task<long> GoodOnPageAsync(IPage page, string id) =>
        long.Parse((await page.Locator($".tile[data-machine='{id}'] .good").InnerTextAsync()).Replace(",", "", StringComparison.Ordinal),
            CultureInfo.InvariantCulture);

    private async Task<IPage> OpenAsync(string path)
    {
        var page = await fixture.Browser.NewPageAsync();
        await page.GotoAsync(fixture.BaseUrl + path);
        return page;
    }
}
