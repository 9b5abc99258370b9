using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using EdgeOps.TestSupport.Processes;

namespace EdgeOps.TestSupport.Prometheus;

/// <summary>
/// Debian's real <c>prometheus</c> on a free loopback port, scraping the given targets every second, with its
/// configuration and storage in a temporary directory; stopped by its PID. Read back through <c>/api/v1/query</c>.
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    private const string InstallHint = "Install Debian's 'prometheus' package (./test.sh does).";
    private readonly string _root;
    private readonly HttpClient _http;
    private ManagedProcess? _process;

    private PrometheusServer(string root, int port)
    {
        _root = root;
        Port = port;
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public int Port { get; }

    public string Output => _process?.Output ?? string.Empty;

    /// <summary>
    /// Starts Prometheus scraping each <c>job → host:port</c> of <paramref name="targets"/> on <c>/metrics</c> every second,
    /// and waits until it is ready.
    /// </summary>
    public static async Task<PrometheusServer> StartAsync(IReadOnlyDictionary<string, string> targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        var program = ManagedProcess.Require("prometheus", InstallHint);
        var server = new PrometheusServer(Directory.CreateTempSubdirectory("edgeops-prometheus-").FullName, FreePort.Next());
        try
        {
            var config = new StringBuilder("global:\n  scrape_interval: 1s\n  scrape_timeout: 900ms\nscrape_configs:\n");
            foreach (var (job, target) in targets)
            {
                config.Append(CultureInfo.InvariantCulture, $"  - job_name: '{job}'\n    static_configs:\n      - targets: ['{target}']\n");
            }

            var configPath = Path.Combine(server._root, "prometheus.yml");
            await File.WriteAllTextAsync(configPath, config.ToString());
            server._process = ManagedProcess.Start(program,
            [
                $"--config.file={configPath}",
                $"--storage.tsdb.path={Path.Combine(server._root, "data")}",
                $"--web.listen-address=127.0.0.1:{server.Port}",
                "--log.level=warn",
            ], server._root);
            await server._process.WaitUntilAnsweringAsync(server._http, "-/ready", "prometheus", TimeSpan.FromSeconds(60));
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>An instant query; the vector's samples as <c>labels → value</c> (throws when Prometheus reports an error).</summary>
    public async Task<IReadOnlyList<PrometheusSample>> QueryAsync(string promQl)
    {
        var answer = await _http.GetFromJsonAsync<JsonElement>($"api/v1/query?query={Uri.EscapeDataString(promQl)}");
        if (answer.GetProperty("status").GetString() != "success")
        {
            throw new InvalidOperationException($"query '{promQl}' failed: {answer}");
        }

        var data = answer.GetProperty("data");
        if (data.GetProperty("resultType").GetString() != "vector")
        {
            throw new InvalidOperationException($"query '{promQl}' is not an instant vector: {answer}");
        }

        return [.. data.GetProperty("result").EnumerateArray().Select(r => new PrometheusSample(
            r.GetProperty("metric").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "", StringComparer.Ordinal),
            double.Parse(r.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture)))];
    }

    /// <summary>The health of each scrape target (<c>up</c>/<c>down</c> and the last error), for failure messages.</summary>
    public async Task<string> TargetsAsync()
    {
        try
        {
            var answer = await _http.GetFromJsonAsync<JsonElement>("api/v1/targets");
            return string.Join("; ", answer.GetProperty("data").GetProperty("activeTargets").EnumerateArray().Select(t =>
                $"{t.GetProperty("scrapeUrl").GetString()}: {t.GetProperty("health").GetString()} {t.GetProperty("lastError").GetString()}"));
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or TaskCanceledException)
        {
            return "targets unavailable: " + ex.Message;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.StopAsync(TimeSpan.FromSeconds(10));
            _process.Dispose();
        }

        _http.Dispose();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a file still being closed.
        }
    }
}

/// <summary>One sample of an instant vector: its labels (with <c>__name__</c> unless the query dropped it) and value.</summary>
public sealed record PrometheusSample(IReadOnlyDictionary<string, string> Labels, double Value);
