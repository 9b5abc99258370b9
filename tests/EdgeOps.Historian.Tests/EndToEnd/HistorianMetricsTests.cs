using System.Text.RegularExpressions;
using EdgeOps.Historian.Tests.Support;
using EdgeOps.TestSupport;
using EdgeOps.TestSupport.Influx;
using EdgeOps.TestSupport.Mosquitto;
using EdgeOps.TestSupport.Processes;

namespace EdgeOps.Historian.Tests.EndToEnd;

/// <summary>The historian's Prometheus endpoint, scraped over real HTTP while it ingests from Mosquitto into influxd.</summary>
public sealed class HistorianMetricsTests
{
    [Fact]
    public async Task Metrics_WhileIngesting_CountMessagesAndWritesOnTheConfiguredUrl()
    {
        await using var influxd = new InfluxV1Server();
        await influxd.StartAsync();
        await influxd.CreateDatabaseAsync("edgeops");
        await using var broker = await MosquittoBroker.StartAsync();
        using var dir = new TempDirectory();
        var url = $"http://127.0.0.1:{FreePort.Next()}/";
        var config = HistorianConfig.V1(broker.Port, influxd.Url, "edgeops", dir.Path, "hist-metrics");
        config["Historian:MetricsUrl"] = url;
        await using var historian = await HistorianRunner.StartAsync(config);
        await using var line = await LinePublisher.ConnectAsync(broker.Port, "press-metrics");
        var t0 = new DateTimeOffset(2026, 11, 26, 6, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < 25; i++)
        {
            await line.PublishKpiAsync(t0.AddSeconds(i), i);
        }

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        string text = "";
        await Eventually.HoldsAsync(async () =>
        {
            text = await http.GetStringAsync(new Uri(url + "metrics"));
            var match = Regex.Match(text, @"^edgeops_historian_messages_total(?:\{\})? (\d+)", RegexOptions.Multiline);
            return (match.Success && long.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) >= 25, text);
        }, TimeSpan.FromSeconds(30));

        Assert.Contains("# TYPE edgeops_historian_messages_total counter", text, StringComparison.Ordinal);
        using var other = await http.GetAsync(new Uri(url + "elsewhere"));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, other.StatusCode);
    }
}
