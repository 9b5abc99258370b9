using System.Device.Gpio;
using System.Threading.Channels;
using EdgeOps.Core.Signals;
using EdgeOps.Gateway.Configuration;
using EdgeOps.Gateway.Configuration.Bindings;
using EdgeOps.Gateway.Metrics;
using EdgeOps.TestSupport;
using EdgeOps.TestSupport.Gpio;
using EdgeOps.TestSupport.Metrics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace EdgeOps.Gateway.Tests.Gpio;

/// <summary>
/// /metrics' source instruments over the shipped retrofit line's real GPIO source (virtual driver): edges before
/// debounce, pulses after, signals and good inputs per source, as the instruments report them (the exporter that turns
/// them into Prometheus text is tested end to end in PrometheusScrapeTests).
/// </summary>
public sealed class GpioMetricsTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 6, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task BouncingPartSensor_ShowsMoreEdgesThanPulses_AndTheSourcesSignalsAndGoodInputs()
    {
        var rig = new RetrofitRig(Start);
        var (catalog, driver, sources) = (rig.Catalog, rig.Driver, rig.Sources);
        var statistics = new SourceStatistics(catalog.Count);
        var channel = Channel.CreateUnbounded<Signal>();
        using var meters = new TestMeterFactory();
        using var reader = new InstrumentReader(meters);
        _ = new SourceMetrics(sources, statistics, meters);
        using var cts = new CancellationTokenSource();
        var runs = sources.Select(s => Task.Run(() => s.RunAsync(statistics.Tap(s.Name, channel.Writer), cts.Token))).ToList();
        for (var i = 0; i < 500 && !sources.All(s => s.IsConnected); i++)
        {
            await Task.Delay(10);
        }

        // Three parts, each through a contact that bounces 5 times before it settles.
        for (var i = 0; i < 3; i++)
        {
            var t = Start.AddSeconds(1 + i);
            driver.Bounce(17, t, PinValue.Low, toggles: 5, TimeSpan.FromMilliseconds(1));
            driver.Drive(17, PinValue.High, t.AddMilliseconds(300));
            driver.AdvanceTo(t.AddMilliseconds(900));
            await Task.Delay(5);
        }

        driver.AdvanceTo(Start.AddSeconds(10));
        IReadOnlyDictionary<string, double> series = new Dictionary<string, double>();
        for (var i = 0; i < 200 && series.GetValueOrDefault("edgeops.gpio.pulses{signal=lathe/parts}") != 3; i++)
        {
            await Task.Delay(10);
            series = reader.Collect();
        }

        await cts.CancelAsync();
        await Task.WhenAll(runs);

        var text = string.Join('\n', series.Select(s => $"{s.Key} {s.Value}"));
        Assert.Equal(3, Sample(series, "edgeops.gpio.pulses{signal=lathe/parts}", text));
        var edges = Sample(series, "edgeops.gpio.edges{signal=lathe/parts}", text);
        Assert.True(edges >= 3 * 5, $"{edges} raw edges for 3 bouncing parts:\n{text}");
        Assert.True(Sample(series, "edgeops.source.signals{source=gpio}", text) >= 3);
        Assert.True(Sample(series, "edgeops.source.signals{source=sensors}", text) > 0);
        // Every GPIO input has reported (edges or heartbeats) with good quality; none is bad.
        Assert.Equal(8, Sample(series, "edgeops.source.items{quality=good,source=gpio}", text));
        Assert.Equal(0, Sample(series, "edgeops.source.items{quality=bad,source=gpio}", text));
    }

    private static double Sample(IReadOnlyDictionary<string, double> series, string key, string text)
    {
        Assert.True(series.TryGetValue(key, out var value), $"no series {key} in:\n{text}");
        return value;
    }
}
