using System.Net;
using System.Text;
using System.Text.Json;
using EdgeOps.TestSupport.Browser;
using EdgeOps.TestSupport.Mqtt;
using Microsoft.Playwright;

namespace EdgeOps.Gateway.Tests.Web;

/// <summary>
/// Production orders on the andon board, in a real headless chromium against the real gateway (the demo line with
/// products): a supervisor starts an order from a tile, picking the product from the configured list, sees its
/// progress and projected finish, and completes it; the gateway publishes both on MQTT.
/// </summary>
public sealed class OrderBoardTests(LiveLineFixture fixture) : IClassFixture<LiveLineFixture>
{
    private const string Machine = "welder";

    [Fact]
    public async Task Supervisor_StartsAnOrderFromTheBoard_SeesItsProgress_AndCompletesIt()
    {
        var products = (await fixture.Gateway.GetJsonAsync("/api/products")).EnumerateArray().ToList();
        var product = products[0].GetProperty("id").GetString()!;
        var productName = products[0].GetProperty("name").GetString()!;
        await using var central = await TestSubscriber.StartAsync("127.0.0.1", fixture.MqttPort, $"edgeops/v1/+/+/+/{Machine}/#");

        var page = await fixture.Browser.NewPageAsync();
        await page.GotoAsync(fixture.BaseUrl + "/");
        var tile = page.Locator($".tile[data-machine='{Machine}']");
        await tile.Locator(".start-order").ClickAsync(new() { Timeout = 10_000 });
        await page.WaitForSelectorAsync("#order-dialog[open]", new() { Timeout = 5000 });
        // Every configured product is offered.
        await page.WaitForSelectorAsync($"#product-buttons button[data-product='{product}']", new() { Timeout = 5000 });
        Assert.Equal(products.Count, await page.Locator("#product-buttons button").CountAsync());

        // A typed product that does not exist: the gateway refuses, naming the field and the configured ones.
        await page.FillAsync("#order-id", "PO-B1");
        await page.FillAsync("#order-product", "bracket-x");
        await page.FillAsync("#order-quantity", "400");
        await page.ClickAsync("#order-submit");
        await page.WaitForFunctionAsync("() => document.getElementById('order-result').textContent.startsWith('Refused')", null, new() { Timeout = 5000 });
        var refusal = await page.Locator("#order-result").InnerTextAsync();
        Assert.Contains("field 'product'", refusal, StringComparison.Ordinal);
        Assert.Contains(product, refusal, StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, (await MachineAsync()).GetProperty("order").ValueKind);

        // Picked from the list instead, with a due time: started, and the dialog closes.
        await page.ClickAsync($"#product-buttons button[data-product='{product}']");
        Assert.Equal(product, await page.InputValueAsync("#order-product"));
        await page.FillAsync("#order-due", "2026-11-23T09:00");
        await page.ClickAsync("#order-submit");
        await page.WaitForFunctionAsync("() => !document.getElementById('order-dialog').open", null, new() { Timeout = 5000 });

        // The tile shows the product, the order, its progress against the quantity and, once parts count, the projected finish.
        var order = tile.Locator(".order[data-order='PO-B1']");
        await order.WaitForAsync(new() { Timeout = 5000 });
        Assert.Equal(productName, await order.Locator(".product").InnerTextAsync());
        Assert.Contains("/ 400", await order.Locator(".progress-text").InnerTextAsync(), StringComparison.Ordinal);
        await page.WaitForFunctionAsync(
            "id => /^Finish \\d/.test(document.querySelector(`.tile[data-machine='${id}'] .finish`).textContent)",
            Machine, new() { Timeout = 60_000 });
        Assert.Contains("due", await order.Locator(".finish").InnerTextAsync(), StringComparison.Ordinal);
        await page.ScreenshotAsync(new() { Path = Path.Combine(HeadlessBrowser.ArtifactsDirectory, "andon-board-order.png"), FullPage = true });

        var running = (await MachineAsync()).GetProperty("order");
        Assert.Equal("PO-B1", running.GetProperty("orderId").GetString());
        Assert.Equal("board:supervisor", running.GetProperty("startedBy").GetString());
        var started = await central.WaitForAsync(r => r.Topic.EndsWith("/events", StringComparison.Ordinal)
            && r.Json.GetProperty("type").GetString() == "orderStarted", TimeSpan.FromSeconds(10), "the orderStarted event");
        Assert.Equal("PO-B1", started.Json.GetProperty("order").GetProperty("orderId").GetString());
        Assert.Equal(product, started.Json.GetProperty("order").GetProperty("product").GetString());

        // Complete takes two taps.
        var complete = order.Locator(".complete-order");
        await complete.ClickAsync();
        Assert.Equal("Tap again to complete", await complete.InnerTextAsync());
        Assert.Equal(JsonValueKind.Object, (await MachineAsync()).GetProperty("order").ValueKind);
        await complete.ClickAsync();
        await tile.Locator(".order[data-status='none']").WaitForAsync(new() { Timeout = 5000 });
        var completed = await central.WaitForAsync(r => r.Topic.EndsWith("/events", StringComparison.Ordinal)
            && r.Json.GetProperty("type").GetString() == "orderCompleted", TimeSpan.FromSeconds(10), "the orderCompleted event");
        Assert.Equal("PO-B1", completed.Json.GetProperty("order").GetProperty("orderId").GetString());
        Assert.Equal("board:supervisor", completed.Json.GetProperty("order").GetProperty("completedBy").GetString());
        // Two taps, one completion.
        Assert.Single(central.Received, r => r.Topic.EndsWith("/events", StringComparison.Ordinal)
            && r.Json.GetProperty("type").GetString() == "orderCompleted");
    }

    [Fact]
    public async Task OrderRequests_TakeTheBoardsAuthorizationPath_ACrossOriginStartIsRefused()
    {
        // The same origin check as reason capture: a page elsewhere cannot start orders through a supervisor's browser.
        var product = (await fixture.Gateway.GetJsonAsync("/api/products"))[0].GetProperty("id").GetString();
        using var http = new HttpClient { BaseAddress = new Uri(fixture.BaseUrl) };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/orders/packer/start")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { orderId = "PO-EVIL", product, quantity = 5 }), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Origin", "http://evil.example");
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);

        // And a bad request from the board's own origin is refused naming the field, changing nothing.
        using var bad = await http.PostAsync(new Uri("/api/orders/packer/start", UriKind.Relative),
            new StringContent(JsonSerializer.Serialize(new { orderId = "PO-OK", product, quantity = 0 }), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        using var body = JsonDocument.Parse(await bad.Content.ReadAsStringAsync());
        Assert.Equal("quantity", body.RootElement.GetProperty("field").GetString());
        Assert.StartsWith("field 'quantity'", body.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
        var packer = (await fixture.Gateway.GetJsonAsync("/api/line")).GetProperty("machines").EnumerateArray()
            .Single(m => m.GetProperty("machineId").GetString() == "packer");
        Assert.Equal(JsonValueKind.Null, packer.GetProperty("order").ValueKind);
    }

    [Fact]
    public async Task OrderPastItsDueTime_ShowsLateOnTheTile_BeforeItHasARate()
    {
        // Due long ago: late from its first instant, before a good part gives it a rate and a projected finish.
        var product = (await fixture.Gateway.GetJsonAsync("/api/products"))[0].GetProperty("id").GetString();
        using var http = new HttpClient { BaseAddress = new Uri(fixture.BaseUrl) };
        using var started = await http.PostAsync(new Uri("/api/orders/press/start", UriKind.Relative),
            new StringContent(JsonSerializer.Serialize(new { orderId = "PO-LATE", product, quantity = 100_000, due = "2020-01-01T00:00:00Z" }),
                Encoding.UTF8, "application/json"));
        Assert.True(started.IsSuccessStatusCode, await started.Content.ReadAsStringAsync());
        using var answer = JsonDocument.Parse(await started.Content.ReadAsStringAsync());
        Assert.False(answer.RootElement.GetProperty("order").GetProperty("onTime").GetBoolean());

        var page = await fixture.Browser.NewPageAsync();
        await page.GotoAsync(fixture.BaseUrl + "/");
        var finish = page.Locator(".tile[data-machine='press'] .order[data-order='PO-LATE'] .finish");
        await finish.WaitForAsync(new() { Timeout = 10_000 });
        await page.WaitForFunctionAsync("() => /LATE$/.test(document.querySelector(\".tile[data-machine='press'] .finish\").textContent)",
            null, new() { Timeout = 10_000 });
        Assert.Contains("late", await finish.GetAttributeAsync("class"), StringComparison.Ordinal);
        Assert.Contains("due", await finish.InnerTextAsync(), StringComparison.Ordinal);
    }

    private async Task<JsonElement> MachineAsync() =>
        (await fixture.Gateway.GetJsonAsync("/api/line")).GetProperty("machines").EnumerateArray()
            .Single(m => m.GetProperty("machineId").GetString() == Machine);
}
