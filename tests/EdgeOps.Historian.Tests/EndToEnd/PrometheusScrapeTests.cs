using System.Globalization;
using EdgeOps.Historian.Tests.Support;
using EdgeOps.TestSupport;
using EdgeOps.TestSupport.Gateway;
using EdgeOps.TestSupport.Processes;
using EdgeOps.TestSupport.Prometheus;

namespace EdgeOps.Historian.Tests.EndToEnd;

/// <summary>
/// Both executables' <c>/metrics</c> scraped by Debian's real Prometheus: a gateway (demo line) publishing to Mosquitto,
/// and the historian storing it in influxd, each its own process as deployed. Each series is read back through Prometheus's
/// query API: counters that moved, histogram buckets with the buckets each instrument advises, .NET runtime metrics.
/// </summary>
[Collection(ServersCollection.Name)]
public sealed class PrometheusScrapeTests(ServersFixture servers) : IDisposable
{
    private readonly TempDirectory _data = new();

    [Fact]
    public async Task Prometheus_ScrapingGatewayAndHistorian_QueriesCountersHistogramBucketsAndRuntimeMetrics()
    {
        var run = Guid.NewGuid().ToString("N")[..6];
        var database = await servers.NewDatabaseAsync();
        var historianPort = FreePort.Next();
        var config = HistorianConfig.V1(servers.Broker.Port, servers.Influxd.Url, database, Path.Combine(_data.Path, "historian"), $"hist-prom-{run}");
        config["Historian:MetricsUrl"] = $"http://127.0.0.1:{historianPort}/";
        using var historian = await HistorianProcess.StartAsync(config, _data.Path);
        using var gateway = await GatewayProcess.StartAsync(["--config", RepoPaths.File("firmware-config", "lines", "demo-line.yaml"),
            "--data", Path.Combine(_data.Path, "gateway"), $"--EdgeOps:GatewayId=gw-prom-{run}", "--EdgeOps:Simulator:Speed=60",
            "--EdgeOps:ConsoleSummaryInterval=00:00:00", $"--EdgeOps:Mqtt:Broker=mqtt://127.0.0.1:{servers.Broker.Port}"]);
        await using var prometheus = await PrometheusServer.StartAsync(new Dictionary<string, string>
        {
            ["gateway"] = $"127.0.0.1:{gateway.WebPort}",
            ["historian"] = $"127.0.0.1:{historianPort}",
        });

        (string Query, Func<double, bool> Holds)[] expectations =
        [
            // Counters that moved between scrapes, on each side of the broker.
            ("increase(edgeops_engine_signals_total{job=\"gateway\"}[15s])", v => v > 0),
            ("increase(edgeops_mqtt_published_total{job=\"gateway\"}[15s])", v => v > 0),
            ("increase(edgeops_historian_messages_total{job=\"historian\"}[15s])", v => v > 0),
            // Histogram buckets, with the boundaries the instruments advise (publish latency up to an hour's backlog).
            // Scraped as OpenMetrics, whole-number bounds read "10.0"; as text 0.0.4, "10".
            ("edgeops_mqtt_publish_latency_seconds_bucket{job=\"gateway\",le=~\"10(\\\\.0)?\"}", v => v > 0),
            ("edgeops_mqtt_publish_latency_seconds_bucket{job=\"gateway\",le=~\"3600(\\\\.0)?\"}", v => v > 0),
            ("edgeops_mqtt_publish_latency_seconds_count{job=\"gateway\"}", v => v > 0),
            ("edgeops_influx_batch_size_bucket{job=\"historian\",le=~\"5000(\\\\.0)?\"}", v => v > 0),
            ("edgeops_influx_write_duration_seconds_bucket{job=\"historian\",le=\"+Inf\"}", v => v > 0),
            // .NET runtime and process metrics from both.
            ("dotnet_process_memory_working_set_bytes{job=\"gateway\"}", v => v > 1_000_000),
            ("dotnet_process_memory_working_set_bytes{job=\"historian\"}", v => v > 1_000_000),
            ("dotnet_gc_heap_total_allocated_bytes_total{job=\"gateway\"}", v => v > 0),
            // The service identity, for joining in PromQL.
            ("target_info{job=\"gateway\",service_name=\"edgeops-gateway\"}", v => v == 1),
            ("target_info{job=\"historian\",service_name=\"edgeops-historian\"}", v => v == 1),
        ];

        await Eventually.HoldsAsync(async () =>
        {
            var failing = new List<string>();
            foreach (var (query, holds) in expectations)
            {
                var samples = await prometheus.QueryAsync(query);
                if (samples.Count == 0 || !samples.Any(s => holds(s.Value)))
                {
                    failing.Add($"{query} = [{string.Join(", ", samples.Select(s => s.Value.ToString(CultureInfo.InvariantCulture)))}]");
                }
            }

            if (failing.Count == 0)
            {
                return (true, "");
            }

            var stored = await prometheus.QueryAsync("count by (job, __name__) ({__name__=~\"edgeops_.*\"})");
            return (false, string.Join("\n", failing) + "\ntargets: " + await prometheus.TargetsAsync() + "\nstored: "
                + string.Join(", ", stored.Select(s => $"{s.Labels.GetValueOrDefault("job")}/{s.Labels.GetValueOrDefault("__name__")}")));
        }, TimeSpan.FromSeconds(120));

        // The gateway's publish-latency histogram has exactly the advised boundaries (15 and +Inf), not the SDK's default.
        var buckets = await prometheus.QueryAsync("edgeops_mqtt_publish_latency_seconds_bucket{job=\"gateway\"}");
        Assert.Equal(16, buckets.Select(b => b.Labels["le"]).Distinct().Count());
    }

    public void Dispose() => _data.Dispose();
}
