using System.Device.Gpio;
using System.Threading.Channels;
using EdgeOps.Core.Signals;
using EdgeOps.Gateway.Configuration;
using EdgeOps.Gateway.Configuration.Bindings;
using EdgeOps.Gateway.Metrics;
using EdgeOps.Contract.Metrics;
using EdgeOps.TestSupport;
using EdgeOps.TestSupport.Gpio;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace EdgeOps.Gateway.Tests.Gpio;

/// <summary>
/// /metrics' source instruments over the shipped retrofit line's real GPIO source (virtual driver): edges before
/// debounce, pulses after, signals and good inputs per source, as Prometheus text.
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
        using var exporter = new PrometheusExporter();
        using var meters = new EdgeOps.TestSupport.Metrics.TestMeterFactory();
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
        var text = "";
        for (var i = 0; i < 200 && !text.Contains("edgeops_gpio_pulses_total{signal=\"lathe/parts\"} 3\n", StringComparison.Ordinal); i++)
        {
            await Task.Delay(10);
            text = exporter.Render();
        }

        await cts.CancelAsync();
        await Task.WhenAll(runs);

        Assert.Contains("edgeops_gpio_pulses_total{signal=\"lathe/parts\"} 3\n", text, StringComparison.Ordinal);
        var edges = Sample(text, "edgeops_gpio_edges_total{signal=\"lathe/parts\"}");
        Assert.True(edges >= 3 * 5, $"{edges} raw edges for 3 bouncing parts:\n{text}");
        Assert.True(Sample(text, "edgeops_source_signals_total{source=\"gpio\"}") >= 3);
        Assert.True(Sample(text, "edgeops_source_signals_total{source=\"sensors\"}") > 0);
        // Every GPIO input has reported (edges or heartbeats) with good quality; none is bad.
        Assert.Equal(8, Sample(text, "edgeops_source_items{quality=\"good\",source=\"gpio\"}"));
        Assert.Equal(0, Sample(text, "edgeops_source_items{quality=\"bad\",source=\"gpio\"}"));
    }

    private static double Sample(string text, string series)
    {
        var line = text.Split('\n').FirstOrDefault(l => l.StartsWith(series + " ", StringComparison.Ordinal));
        Assert.True(line is not null, $"no sample {series} in:\n{text}");
        return double.Parse(line[(series.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }
}
