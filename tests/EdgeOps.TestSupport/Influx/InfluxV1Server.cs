using System.Globalization;
using System.Text;
using System.Text.Json;
using EdgeOps.TestSupport.Processes;

namespace EdgeOps.TestSupport.Influx;

/// <summary>
/// Debian's <c>influxd</c> (1.x) on a free loopback port with its meta, data and WAL in a temp folder.
/// Stop and start keep the port and the data, so a test can take the database away and bring it back.
/// </summary>
public sealed class InfluxV1Server : IAsyncDisposable
{
    private const string InstallHint = "Install Debian's 'influxdb' package (./test.sh does).";
    private readonly string _root;
    private readonly string _configPath;
    private readonly HttpClient _http;
    private ManagedProcess? _process;

    public InfluxV1Server()
    {
        _root = Directory.CreateTempSubdirectory("edgeops-influxd-").FullName;
        _configPath = Path.Combine(_root, "influxd.conf");
        HttpPort = FreePort.Next();
        File.WriteAllText(_configPath, BuildConfig(_root, FreePort.Next(), HttpPort));
        _http = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(30) };
    }

    public int HttpPort { get; }

    public Uri Url => new($"http://127.0.0.1:{HttpPort}/");

    public string Output => _process?.Output ?? string.Empty;

    /// <summary>The server's process id while it runs (e.g. to read its CPU time from <c>/proc</c>), else null.</summary>
    public int? Pid => _process is { HasExited: false } process ? process.Pid : null;

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Starts influxd and waits until <c>/ping</c> answers.</summary>
    public async Task StartAsync()
    {
        if (IsRunning)
        {
            return;
        }

        var program = ManagedProcess.Require("influxd", InstallHint);
        _process?.Dispose();
        _process = ManagedProcess.Start(program, ["-config", _configPath], _root);
        await _process.WaitUntilAnsweringAsync(_http, "ping", "influxd", TimeSpan.FromSeconds(30));
    }

    /// <summary>Stops influxd by its PID (SIGTERM, then SIGKILL), keeping its data for a later start.</summary>
    public async Task StopAsync()
    {
        if (_process is not null)
        {
            await _process.StopAsync(TimeSpan.FromSeconds(10));
        }
    }

    public async Task CreateDatabaseAsync(string database)
    {
        await QueryAsync($"CREATE DATABASE \"{database}\"", database: null);
    }

    /// <summary>Runs InfluxQL and returns every series of the first statement (epoch ms timestamps).</summary>
    public async Task<IReadOnlyList<InfluxSeries>> QueryAsync(string influxQl, string? database)
    {
        var form = new Dictionary<string, string> { ["q"] = influxQl, ["epoch"] = "ms" };
        if (database is not null)
        {
            form["db"] = database;
        }

        using var content = new FormUrlEncodedContent(form);
        using var response = await _http.PostAsync(new Uri("query", UriKind.Relative), content);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"InfluxQL failed ({(int)response.StatusCode}): {body}\nQuery: {influxQl}");
        }

        using var document = JsonDocument.Parse(body);
        var results = document.RootElement.GetProperty("results");
        var series = new List<InfluxSeries>();
        foreach (var result in results.EnumerateArray())
        {
            if (result.TryGetProperty("error", out var error))
            {
                throw new InvalidOperationException($"InfluxQL error: {error.GetString()}\nQuery: {influxQl}");
            }

            if (!result.TryGetProperty("series", out var seriesArray))
            {
                continue;
            }

            foreach (var item in seriesArray.EnumerateArray())
            {
                series.Add(InfluxSeries.Parse(item));
            }
        }

        return series;
    }

    /// <summary>Writes raw line protocol (ns precision), for seeding data outside the code under test.</summary>
    public async Task WriteAsync(string database, string lines)
    {
        using var content = new StringContent(lines, Encoding.UTF8);
        using var response = await _http.PostAsync(
            new Uri($"write?db={Uri.EscapeDataString(database)}&precision=ns", UriKind.Relative), content);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Seeding write failed ({(int)response.StatusCode}): {await response.Content.ReadAsStringAsync()}");
        }
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
            // Best effort: a temp folder left behind is harmless.
        }
    }

    private static string BuildConfig(string root, int rpcPort, int httpPort) =>
        string.Create(CultureInfo.InvariantCulture, $"""
            reporting-disabled = true
            bind-address = "127.0.0.1:{rpcPort}"

            [meta]
              dir = "{Path.Combine(root, "meta")}"

            [data]
              dir = "{Path.Combine(root, "data")}"
              wal-dir = "{Path.Combine(root, "wal")}"
              query-log-enabled = false

            [http]
              enabled = true
              bind-address = "127.0.0.1:{httpPort}"
              log-enabled = false

            [monitor]
              store-enabled = false

            [continuous_queries]
              enabled = false
            """);
}
