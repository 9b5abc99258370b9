using System.Text.Json;
using EdgeOps.TestSupport.Processes;

namespace EdgeOps.TestSupport.Influx;

/// <summary>
/// Debian's <c>victoria-metrics</c> on a free loopback port: it accepts InfluxDB's <c>/api/v2/write</c>
/// (and <c>/write</c>), so the v2 write path is tested against a real server. Read back through <c>/api/v1/export</c>.
/// </summary>
public sealed class VictoriaMetricsServer : IAsyncDisposable
{
    private const string InstallHint = "Install Debian's 'victoria-metrics' package (./test.sh does).";
    private readonly string _root;
    private readonly HttpClient _http;
    private ManagedProcess? _process;

    public VictoriaMetricsServer()
    {
        _root = Directory.CreateTempSubdirectory("edgeops-vm-").FullName;
        HttpPort = FreePort.Next();
        _http = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(30) };
    }

    public int HttpPort { get; }

    public Uri Url => new($"http://127.0.0.1:{HttpPort}/");

    public string Output => _process?.Output ?? string.Empty;

    /// <summary>The server's process id while it runs (e.g. to read its CPU time from <c>/proc</c>), else null.</summary>
    public int? Pid => _process is { HasExited: false } process ? process.Pid : null;

    public async Task StartAsync()
    {
        if (_process is { HasExited: false })
        {
            return;
        }

        var program = ManagedProcess.Require("victoria-metrics", InstallHint);
        _process?.Dispose();
        // Retention of 100 years: the default month would drop the fixed, older timestamps some tests write.
        _process = ManagedProcess.Start(program,
        [
            $"-httpListenAddr=127.0.0.1:{HttpPort}",
            $"-storageDataPath={Path.Combine(_root, "data")}",
            "-retentionPeriod=100y",
            "-loggerLevel=ERROR",
        ], _root);
        await _process.WaitUntilAnsweringAsync(_http, "health", "victoria-metrics", TimeSpan.FromSeconds(30));
    }

    public async Task StopAsync()
    {
        if (_process is not null)
        {
            await _process.StopAsync(TimeSpan.FromSeconds(10));
        }
    }

    /// <summary>
    /// Every raw sample of the series matching <paramref name="selector"/> (e.g. <c>{__name__=~"kpi_.*"}</c>),
    /// after forcing a flush so just-written samples are visible.
    /// </summary>
    public async Task<IReadOnlyList<ExportedSeries>> ExportAsync(string selector)
    {
        using (var flush = await _http.GetAsync(new Uri("internal/force_flush", UriKind.Relative)))
        {
            flush.EnsureSuccessStatusCode();
        }

        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["match[]"] = selector,
            ["start"] = "0",
        });
        using var response = await _http.PostAsync(new Uri("api/v1/export", UriKind.Relative), content);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"export failed ({(int)response.StatusCode}): {body}");
        }

        var result = new List<ExportedSeries>();
        foreach (var line in body.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            var labels = root.GetProperty("metric").EnumerateObject()
                .ToDictionary(p => p.Name, p => p.Value.GetString() ?? string.Empty, StringComparer.Ordinal);
            var values = root.GetProperty("values").EnumerateArray().Select(v => v.GetDouble()).ToList();
            var timestamps = root.GetProperty("timestamps").EnumerateArray().Select(v => v.GetInt64()).ToList();
            result.Add(new ExportedSeries(labels, values, timestamps));
        }

        return result;
    }

    public async ValueTask DisposeAsync()
    {
        _process?.Dispose();
        _http.Dispose();
        await Task.Yield();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }
}

/// <summary>One series from victoria-metrics' export: labels (with <c>__name__</c> = measurement_field), samples.</summary>
public sealed record ExportedSeries(
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyList<double> Values,
    IReadOnlyList<long> TimestampsMs)
{
    public string Name => Labels.TryGetValue("__name__", out var name) ? name : string.Empty;
}
