using EdgeOps.TestSupport.Browser;
using Microsoft.Playwright;

namespace EdgeOps.Gateway.Tests.Web;

/// <summary>The machine page's condition panel in a real headless chromium against the demo line's gateway.</summary>
public sealed class ConditionChartTests(LiveLineFixture fixture) : IClassFixture<LiveLineFixture>
{
    [Fact]
    public async Task MachinePage_OfThePress_ChartsVibrationInsideItsIsoZoneBands_TemperatureAndMaintenance()
    {
        // The demo press: vibration as ISO 10816 class II velocity (limits 1.12 / 2.8 / 7.1 mm/s), bearing temperature,
        // two maintenance items. A 10 s window of 20 samples at speed 30 is 10 s of real time.
        // The fixture's frequent faults stop the press now and then (an idle window is zone A): wait for a running one.
        await fixture.Gateway.WaitForJsonAsync("/api/condition/press",
            c => c.GetProperty("signals").EnumerateArray().All(s => s.GetProperty("history").GetArrayLength() >= 2)
                && c.GetProperty("signals").EnumerateArray().Single(s => s.GetProperty("signal").GetString() == "vibration")
                    .GetProperty("history").EnumerateArray().Any(p => p.GetProperty("value").GetDouble() is > 1.12 and < 2.8),
            TimeSpan.FromSeconds(90));
        var page = await fixture.Browser.NewPageAsync();
        await page.GotoAsync(fixture.BaseUrl + "/machine/press");
        var vibration = page.Locator("svg.condition-chart[data-signal='vibration']");
        await vibration.Locator("polyline.series").WaitForAsync(new() { Timeout = 5000 });

        Assert.True(await page.Locator("#condition-panel").IsVisibleAsync());
        var zones = await vibration.Locator("rect.zone").EvaluateAllAsync<string[]>("rs => rs.map(r => r.dataset.zone)");
        Assert.Equal(["A", "B", "C"], zones.Take(3));
        // Bands stack upwards in zone order and the healthy press's line runs inside zone B (1.12–2.8 mm/s).
        var a = await BoxAsync(vibration.Locator("rect.zone-A"));
        var b = await BoxAsync(vibration.Locator("rect.zone-B"));
        var c = await BoxAsync(vibration.Locator("rect.zone-C"));
        Assert.True(c.Y < b.Y && b.Y < a.Y, $"bands out of order: A {a.Y}, B {b.Y}, C {c.Y}");
        var ys = await vibration.Locator("polyline.series").EvaluateAsync<double[]>(
            "p => p.getAttribute('points').trim().split(' ').map(xy => Number(xy.split(',')[1]))");
        var bandB = await vibration.Locator("rect.zone-B").EvaluateAsync<double[]>("r => [Number(r.getAttribute('y')), Number(r.getAttribute('y')) + Number(r.getAttribute('height'))]");
        Assert.Contains(ys, y => y >= bandB[0] && y <= bandB[1]);
        Assert.Contains("velocityRms", await vibration.Locator("text.latest").TextContentAsync() ?? string.Empty, StringComparison.Ordinal);

        // Temperature: a chart without zone bands, its mean in °C.
        var temperature = page.Locator("svg.condition-chart[data-signal='bearing-temp']");
        await temperature.Locator("polyline.series").WaitForAsync(new() { Timeout = 5000 });
        Assert.Equal(0, await temperature.Locator("rect.zone").CountAsync());
        Assert.Contains("°C", await temperature.Locator("text.latest").TextContentAsync() ?? string.Empty, StringComparison.Ordinal);

        // Maintenance counters, one row per configured item.
        await page.WaitForSelectorAsync("#maintenance tr[data-item='lubrication']", new() { Timeout = 5000 });
        Assert.Equal(["die-change", "lubrication"],
            await page.Locator("#maintenance tr[data-item]").EvaluateAllAsync<string[]>("rs => rs.map(r => r.dataset.item)"));
        await page.ScreenshotAsync(new() { Path = Path.Combine(HeadlessBrowser.ArtifactsDirectory, "machine-press-condition.png"), FullPage = true });

        // A machine without condition monitoring or maintenance shows no panel.
        var welder = await fixture.Browser.NewPageAsync();
        await welder.GotoAsync(fixture.BaseUrl + "/machine/welder");
        await welder.WaitForSelectorAsync("#chart-output polyline", new() { Timeout = 5000 });
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.False(await welder.Locator("#condition-panel").IsVisibleAsync());
    }

    private static async Task<(double Y, double Height)> BoxAsync(ILocator rect)
    {
        var values = await rect.EvaluateAsync<double[]>("r => [Number(r.getAttribute('y')), Number(r.getAttribute('height'))]");
        return (values[0], values[1]);
    }
}
