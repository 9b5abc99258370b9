using System.Net.Http.Json;
using System.Text.Json;
using EdgeOps.TestSupport.Processes;

namespace EdgeOps.TestSupport.Gateway;

/// <summary>
/// The real gateway executable (<c>edgeops</c>) as a child process, built by the solution build, with its own data
/// directory and web port. Tests kill it (SIGKILL), restart it, and read it through its public interfaces.
/// </summary>
public sealed class GatewayProcess : IDisposable
{
    private readonly ManagedProcess _process;
    private readonly HttpClient _http;

    private GatewayProcess(ManagedProcess process, int webPort)
    {
        _process = process;
        WebPort = webPort;
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{webPort}"), Timeout = TimeSpan.FromSeconds(5) };
    }

    public int WebPort { get; }

    public int Pid => _process.Pid;

    public string Output => _process.Output;

    public bool HasExited => _process.HasExited;

    /// <summary>Path of the built gateway (<c>src/EdgeOps.Gateway/bin/{Configuration}/net10.0/edgeops.dll</c>).</summary>
    public static string DllPath
    {
        get
        {
            var path = RepoPaths.File("src", "EdgeOps.Gateway", "bin", RepoPaths.Configuration, "net10.0", "edgeops.dll");
            return System.IO.File.Exists(path) ? path
                : throw new InvalidOperationException($"The gateway is not built at {path}: run ./test.sh (it builds the solution first).");
        }
    }

    /// <summary>
    /// Starts the gateway with <paramref name="arguments"/> (e.g. <c>--config</c>, <c>--data</c>, <c>--EdgeOps:Key=value</c>)
    /// on a free web port, and waits until its HTTP API answers.
    /// </summary>
    public static async Task<GatewayProcess> StartAsync(IEnumerable<string> arguments, IDictionary<string, string?>? environment = null,
        TimeSpan? timeout = null)
    {
        var given = arguments.ToList();
        for (var attempt = 1; ; attempt++)
        {
            // A port from FreePort is free when chosen, not when the gateway binds it: another test's server can take it
            // in between. The gateway then stops at start with "address already in use"; a new port is the remedy.
            var port = FreePort.Next();
            var args = new List<string> { DllPath };
            args.AddRange(given);
            args.Add($"--EdgeOps:Web:Urls=http://127.0.0.1:{port}");
            if (!given.Any(a => a.StartsWith("--EdgeOps:Mqtt:", StringComparison.Ordinal)))
            {
                // Each gateway gets its own embedded broker port, so tests can run side by side.
                args.Add($"--EdgeOps:Mqtt:EmbeddedPort={FreePort.Next()}");
            }
            var process = ManagedProcess.Start("dotnet", args, RepoPaths.Root, environment);
            var gateway = new GatewayProcess(process, port);
            try
            {
                await gateway.WaitUntilReadyAsync(timeout ?? TimeSpan.FromSeconds(60));
                return gateway;
            }
            catch (InvalidOperationException) when (attempt < 3 && gateway.LostAPortRace)
            {
                gateway.Dispose();
            }
            catch
            {
                gateway.Dispose();
                throw;
            }
        }
    }

    /// <summary>The process stopped at start because a port chosen for it was taken before it could bind it.</summary>
    private bool LostAPortRace => _process.HasExited && Output.Contains("address already in use", StringComparison.OrdinalIgnoreCase);

    /// <summary>GET a JSON document from the gateway's API.</summary>
    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await _http.GetAsync(new Uri(path, UriKind.Relative));
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>Polls <paramref name="path"/> until <paramref name="condition"/> holds.</summary>
    public async Task<JsonElement> WaitForJsonAsync(string path, Func<JsonElement, bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        JsonElement last = default;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The gateway exited ({_process.ExitCode}). Output:\n{Output}");
            }

            try
            {
                last = await GetJsonAsync(path);
                if (condition(last))
                {
                    return last;
                }
            }
            catch (HttpRequestException)
            {
                // Not up yet.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{path} did not reach the expected state within {timeout}. Last: {last}\nOutput:\n{Output}");
    }

    /// <summary>SIGKILL: no shutdown code runs, as in a power cut.</summary>
    public void Kill() => _process.Kill();

    /// <summary>SIGTERM and wait: the graceful stop systemd does.</summary>
    public Task StopAsync() => _process.StopAsync(TimeSpan.FromSeconds(30));

    public void Dispose()
    {
        _http.Dispose();
        _process.Dispose();
    }

    private async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The gateway exited ({_process.ExitCode}) during start-up. Output:\n{Output}");
            }

            try
            {
                using var response = await _http.GetAsync(new Uri("/api/line", UriKind.Relative));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The gateway did not answer on port {WebPort} within {timeout}. Output:\n{Output}");
    }
}
