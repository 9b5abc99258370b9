using System.Diagnostics.Metrics;
using EdgeOps.Contract.Metrics;

namespace EdgeOps.Gateway.Tests.Web;

/// <summary>The exporter's text for each kind of instrument on the "EdgeOps" meter.</summary>
public sealed class PrometheusExporterTests
{
    [Fact]
    public void Render_CountersSumPerTagSet_UpDownCountersNet_HistogramsAsSumAndCount_OtherMetersIgnored()
    {
        using var exporter = new PrometheusExporter();
        using var meter = new Meter(PrometheusExporter.MeterName);
        using var other = new Meter("NotEdgeOps");
        var reconnects = meter.CreateCounter<long>("edgeops.test.reconnects", null, "Reconnects per endpoint.");
        var depth = meter.CreateUpDownCounter<int>("edgeops.test.depth");
        var latency = meter.CreateHistogram<double>("edgeops.test.latency");
        other.CreateCounter<long>("edgeops.test.foreign").Add(5);

        reconnects.Add(2, new KeyValuePair<string, object?>("endpoint", "plc\"1"));
        reconnects.Add(3, new KeyValuePair<string, object?>("endpoint", "plc\"1"));
        reconnects.Add(1, new KeyValuePair<string, object?>("endpoint", "plc2"));
        depth.Add(5);
        depth.Add(-2);
        latency.Record(0.5);
        latency.Record(1.5);

        var text = exporter.Render();

        Assert.Contains("# HELP edgeops_test_reconnects_total Reconnects per endpoint.\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE edgeops_test_reconnects_total counter\n", text, StringComparison.Ordinal);
        Assert.Contains("edgeops_test_reconnects_total{endpoint=\"plc\\\"1\"} 5\n", text, StringComparison.Ordinal);
        Assert.Contains("edgeops_test_reconnects_total{endpoint=\"plc2\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE edgeops_test_depth gauge\nedgeops_test_depth 3\n", text, StringComparison.Ordinal);
        Assert.Contains("edgeops_test_latency_sum 2\nedgeops_test_latency_count 2\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("foreign", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_ObservableCounter_ReportsItsCurrentTotalEachScrape()
    {
        using var exporter = new PrometheusExporter();
        using var meter = new Meter(PrometheusExporter.MeterName);
        long total = 10;
        meter.CreateObservableCounter("edgeops.test.observed", () => total);

        Assert.Contains("edgeops_test_observed_total 10\n", exporter.Render(), StringComparison.Ordinal);
        total = 25;
        Assert.Contains("edgeops_test_observed_total 25\n", exporter.Render(), StringComparison.Ordinal);
    }
}
