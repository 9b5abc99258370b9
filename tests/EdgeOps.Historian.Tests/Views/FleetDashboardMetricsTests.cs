using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using EdgeOps.Historian.Tests.Support;
using EdgeOps.TestSupport;
using EdgeOps.TestSupport.Gateway;
using EdgeOps.TestSupport.Processes;

namespace EdgeOps.Historian.Tests.Views;

/// <summary>
/// The fleet dashboard's PromQL panels against what real gateways expose on /metrics, scraped into victoria-metrics
/// (PromQL-compatible) as Prometheus would: one gateway connected to Mosquitto (publish rate, depth), one whose broker is
/// unreachable and whose outbox bound is tiny (depth, drops). Every query returns series, for the right gateways.
/// </summary>
[Collection(ServersCollection.Name)]
public sealed partial class FleetDashboardMetricsTests(ServersFixture servers) : IDisposable
{
    private readonly TempDirectory _data = new();

    [Fact]
    public async Task FleetDashboard_PrometheusPanels_OnRealGatewayMetrics_ReturnSeriesPerGateway()
    {
        var run = Guid.NewGuid().ToString("N")[..6];
        var (online, cutOff) = ($"gw-online-{run}", $"gw-cutoff-{run}");
        string[] common = ["--config", RepoPaths.File("firmware-config", "lines", "demo-line.yaml"), "--EdgeOps:Simulator:Speed=60",
            "--EdgeOps:ConsoleSummaryInterval=00:00:00"];
        using var connected = await GatewayProcess.StartAsync([.. common, "--data", Path.Combine(_data.Path, "a"), $"--EdgeOps:GatewayId={online}",
            $"--EdgeOps:Mqtt:Broker=mqtt://127.0.0.1:{servers.Broker.Port}"]);
        // Nothing listens on this port: everything stays in the outbox, and past 64 KiB superseded snapshots are dropped.
        using var unreachable = await GatewayProcess.StartAsync([.. common, "--data", Path.Combine(_data.Path, "b"), $"--EdgeOps:GatewayId={cutOff}",
            $"--EdgeOps:Mqtt:Broker=mqtt://127.0.0.1:{FreePort.Next()}", "--EdgeOps:Mqtt:Outbox:MaxBytes=65536"]);

        using var http = new HttpClient { BaseAddress = servers.Victoria.Url, Timeout = TimeSpan.FromSeconds(30) };
        using var scrape = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var queries = DashboardQueryTests.QueriesOf("fleet-health.json", "${prometheus}");
        Assert.NotEmpty(queries);
        var failures = new List<string>();
        await Eventually.HoldsAsync(async () =>
        {
            // A scrape of each gateway, as Prometheus does every interval; rates need at least two in the window.
            foreach (var gateway in new[] { connected, unreachable })
            {
                using var metrics = await scrape.GetAsync(new Uri($"http://127.0.0.1:{gateway.WebPort}/metrics"));
                var text = await metrics.Content.ReadAsStringAsync();
                using var import = await http.PostAsync(new Uri("api/v1/import/prometheus", UriKind.Relative), new StringContent(text));
                Assert.True(import.IsSuccessStatusCode, await import.Content.ReadAsStringAsync());
            }

            using (var flush = await http.GetAsync(new Uri("internal/force_flush", UriKind.Relative)))
            {
                flush.EnsureSuccessStatusCode();
            }

            failures.Clear();
            foreach (var (where, query) in queries)
            {
                var promQl = Substitute(query, $"({Regex.Escape(online)}|{Regex.Escape(cutOff)})");
                var answer = await http.GetFromJsonAsync<JsonElement>($"api/v1/query?query={Uri.EscapeDataString(promQl)}");
                var gateways = answer.GetProperty("data").GetProperty("result").EnumerateArray()
                    .Where(r => r.GetProperty("value")[1].GetString() is not "NaN")
                    .Select(r => r.GetProperty("metric").TryGetProperty("gateway", out var g) ? g.GetString() : null).ToHashSet();
                var expected = where.Contains("Publish rate", StringComparison.Ordinal) ? new[] { online }
                    : where.Contains("drops", StringComparison.Ordinal) ? [cutOff] : [online, cutOff];
                if (!expected.All(gateways.Contains))
                {
                    failures.Add($"{where}: series for [{string.Join(", ", gateways)}], expected [{string.Join(", ", expected)}]\n  {promQl}");
                }
            }

            await Task.Delay(TimeSpan.FromSeconds(2));
            return (failures.Count == 0, string.Join("\n", failures));
        }, TimeSpan.FromSeconds(120));
    }

    public void Dispose() => _data.Dispose();

    /// <summary>Grafana's Prometheus interpolation: a multi-value variable as a regex alternation; the rate interval.</summary>
    private static string Substitute(string query, string gateways)
    {
        var result = query.Replace("$__rate_interval", "1m", StringComparison.Ordinal).Replace("$gateway", gateways, StringComparison.Ordinal);
        Assert.DoesNotMatch(VariablePattern(), result);
        return result;
    }

    [GeneratedRegex(@"\$[A-Za-z_]")]
    private static partial Regex VariablePattern();
}
