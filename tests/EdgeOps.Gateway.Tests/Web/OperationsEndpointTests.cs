using System.Globalization;
using System.Text.RegularExpressions;

namespace EdgeOps.Gateway.Tests.Web;

/// <summary>/metrics, /readyz and /healthz of the real gateway while the demo line runs.</summary>
public sealed partial class OperationsEndpointTests(LiveLineFixture fixture) : IClassFixture<LiveLineFixture>
{
    [Fact]
    public async Task Metrics_ParseAsPrometheusText_AndTheSignalCounterMovesWhileTheLineRuns()
    {
        using var http = new HttpClient { BaseAddress = new Uri(fixture.BaseUrl) };
        var first = Parse(await http.GetStringAsync(new Uri("/metrics", UriKind.Relative)));
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        using var response = await http.GetAsync(new Uri("/metrics", UriKind.Relative));
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
        var second = Parse(await response.Content.ReadAsStringAsync());

        Assert.True(second["edgeops_engine_signals_total"] > first["edgeops_engine_signals_total"],
            $"signals did not move: {first["edgeops_engine_signals_total"]} then {second["edgeops_engine_signals_total"]}");
        Assert.True(second.ContainsKey("edgeops_engine_lag"));
        Assert.Equal(1, second["edgeops_source_connected{source=\"simulator\"}"]);
        // Signals per source move too, and every simulated input has reported good.
        const string simulated = "edgeops_source_signals_total{source=\"simulator\"}";
        Assert.True(second[simulated] > first[simulated], $"simulator signals did not move: {first[simulated]} then {second[simulated]}");
        Assert.True(second["edgeops_source_items{quality=\"good\",source=\"simulator\"}"] > 0);
        Assert.Equal(0, second["edgeops_source_items{quality=\"bad\",source=\"simulator\"}"]);
    }

    [Fact]
    public async Task Readyz_WithTheSimulatorConnected_IsReady_AndHealthzIsLive()
    {
        using var http = new HttpClient { BaseAddress = new Uri(fixture.BaseUrl) };
        using var ready = await http.GetAsync(new Uri("/readyz", UriKind.Relative));
        Assert.Equal(System.Net.HttpStatusCode.OK, ready.StatusCode);
        Assert.Contains("sources: ready", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("ok", await http.GetStringAsync(new Uri("/healthz", UriKind.Relative)));
    }

    /// <summary>
    /// Strict reading of the text format 0.0.4: every line is a # HELP/# TYPE comment or "name{labels} value", each
    /// sample's family has a TYPE line first; returns samples keyed by name+labels.
    /// </summary>
    private static Dictionary<string, double> Parse(string text)
    {
        var samples = new Dictionary<string, double>(StringComparer.Ordinal);
        var typed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith("# HELP ", StringComparison.Ordinal))
            {
                continue;
            }

            var type = TypeLine().Match(line);
            if (type.Success)
            {
                Assert.True(typed.Add(type.Groups[1].Value), $"family typed twice: {line}");
                continue;
            }

            var sample = SampleLine().Match(line);
            Assert.True(sample.Success, $"not a Prometheus sample line: '{line}'");
            var name = sample.Groups[1].Value;
            Assert.Contains(typed, f => name == f || name.StartsWith(f + "_", StringComparison.Ordinal));
            // OpenTelemetry's exporter writes "name{} value" for a series without labels: the same series as "name value".
            samples.Add(name + (sample.Groups[2].Value is "{}" ? "" : sample.Groups[2].Value),
                double.Parse(sample.Groups[3].Value.Replace("+Inf", "Infinity", StringComparison.Ordinal), CultureInfo.InvariantCulture));
        }

        return samples;
    }

    [GeneratedRegex(@"^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|summary|histogram|untyped)$")]
    private static partial Regex TypeLine();

    [GeneratedRegex(@"^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*=""(?:[^""\\]|\\.)*"",?)*\})? ([-+]?(?:[0-9.eE+-]+|Inf|NaN))$")]
    private static partial Regex SampleLine();
}
