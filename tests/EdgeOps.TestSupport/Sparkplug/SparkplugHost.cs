using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeOps.TestSupport.Processes;

namespace EdgeOps.TestSupport.Sparkplug;

/// <summary>One message the independent host received and decoded (a line of tests/sparkplug-host/host.js).</summary>
public sealed record HostMessage(string Topic, string Type, string? Device, int? Seq, long? BdSeq, IReadOnlyList<HostMetric> Metrics,
    IReadOnlyList<string> Problems, string Raw)
{
    /// <summary>The metric of that name (data metrics carry the name their alias resolved to), or null.</summary>
    public HostMetric? Metric(string name) => Metrics.LastOrDefault(m => m.Name == name);
}

/// <summary>One decoded metric.</summary>
public sealed record HostMetric(string? Name, long? Alias, string? Type, JsonNode? Value, bool IsHistorical, long? Timestamp,
    IReadOnlyDictionary<string, JsonNode?>? Properties);

/// <summary>
/// The independent Sparkplug B host (tests/sparkplug-host/host.js: Eclipse Tahu's sparkplug-payload from npm, pinned by
/// its package-lock) as a child process: it decodes every message of one edge node and reports the session rules each
/// breaks; a test reads what it received and sends it commands (STATE, NCMD, DCMD, raw bytes). Stopped by PID.
/// </summary>
public sealed class SparkplugHost : IAsyncDisposable
{
    private readonly ManagedProcess _process;
    private readonly List<HostMessage> _messages = [];

    private SparkplugHost(ManagedProcess process)
    {
        _process = process;
        _process.LineReceived += OnLine;
    }

    /// <summary>Everything received so far, in arrival order.</summary>
    public IReadOnlyList<HostMessage> Messages
    {
        get
        {
            lock (_messages)
            {
                return [.. _messages];
            }
        }
    }

    /// <summary>The host's output, for failure messages.</summary>
    public string Output => _process.Output;

    /// <summary>Starts the host on <paramref name="brokerUrl"/> for one edge node; returns once it is subscribed.</summary>
    public static async Task<SparkplugHost> StartAsync(string brokerUrl, string group, string node, string? hostId = null)
    {
        var dir = RepoPaths.File("tests", "sparkplug-host");
        if (!Directory.Exists(Path.Combine(dir, "node_modules", "sparkplug-payload")))
        {
            throw new InvalidOperationException($"sparkplug-payload is not installed in {dir}: run `npm ci` there (./test.sh does it).");
        }

        var nodeJs = ManagedProcess.Require("node", "Install Node.js (Debian: apt-get install nodejs npm), or run ./test.sh.");
        List<string> args = ["host.js", "--url", brokerUrl, "--group", group, "--node", node];
        if (hostId is not null)
        {
            args.AddRange(["--host", hostId]);
        }

        var host = new SparkplugHost(ManagedProcess.Start(nodeJs, args, dir));
        try
        {
            await host._process.WaitForOutputAsync("\"event\":\"ready\"", TimeSpan.FromSeconds(30));
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }

        return host;
    }

    /// <summary>Publishes the host's retained STATE (3.0 JSON: online and timestamp).</summary>
    public Task StateAsync(bool online) => SendAsync(new JsonObject { ["op"] = "state", ["online"] = online });

    /// <summary>An NCMD with metrics (name, Tahu type name, value).</summary>
    public Task NodeCommandAsync(params (string Name, string Type, JsonNode? Value)[] metrics) =>
        SendAsync(new JsonObject { ["op"] = "ncmd", ["metrics"] = Metrics(metrics) });

    /// <summary>A DCMD to <paramref name="device"/> with metrics (name, Tahu type name, value).</summary>
    public Task DeviceCommandAsync(string device, params (string Name, string Type, JsonNode? Value)[] metrics) =>
        SendAsync(new JsonObject { ["op"] = "dcmd", ["device"] = device, ["metrics"] = Metrics(metrics) });

    /// <summary>Publishes raw bytes (the bad-input cases).</summary>
    public Task RawAsync(string topic, byte[] payload) =>
        SendAsync(new JsonObject { ["op"] = "raw", ["topic"] = topic, ["hex"] = Convert.ToHexStringLower(payload) });

    /// <summary>Waits until a received message matches; returns it. Fails with what was received.</summary>
    public async Task<HostMessage> WaitForAsync(Func<HostMessage, bool> match, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (Messages.FirstOrDefault(match) is { } found)
            {
                return found;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The Sparkplug host did not receive {what} within {timeout.TotalSeconds:0} s. Received:\n"
            + string.Join("\n", Messages.TakeLast(30).Select(m => $"{m.Type} {m.Device} seq {m.Seq}")) + "\nHost output tail:\n" + Tail(_process.Output));
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _process.StopAsync(TimeSpan.FromSeconds(5));
        _process.Dispose();
    }

    private async Task SendAsync(JsonObject command)
    {
        var before = Count("\"event\":\"sent\"");
        await _process.WriteLineAsync(command.ToJsonString());
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (Count("\"event\":\"sent\"") == before)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The Sparkplug host did not confirm {command.ToJsonString()}. Output:\n{Tail(_process.Output)}");
            }

            await Task.Delay(50);
        }
    }

    private int Count(string text)
    {
        var output = _process.Output;
        var count = 0;
        for (var i = output.IndexOf(text, StringComparison.Ordinal); i >= 0; i = output.IndexOf(text, i + 1, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private static JsonArray Metrics((string Name, string Type, JsonNode? Value)[] metrics) =>
        [.. metrics.Select(m => (JsonNode)new JsonObject { ["name"] = m.Name, ["type"] = m.Type, ["value"] = m.Value?.DeepClone() })];

    private static string Tail(string text) => text.Length > 4000 ? text[^4000..] : text;

    private void OnLine(string line)
    {
        if (!line.StartsWith('{') || !line.Contains("\"event\":\"message\"", StringComparison.Ordinal))
        {
            return;
        }

        using var document = JsonDocument.Parse(line);
        var root = document.RootElement;
        var metrics = root.TryGetProperty("metrics", out var list)
            ? list.EnumerateArray().Select(m => new HostMetric(
                Text(m, "name"), Long(m, "alias"), Text(m, "type"),
                m.TryGetProperty("value", out var v) ? JsonNode.Parse(v.GetRawText()) : null,
                m.TryGetProperty("isHistorical", out var h) && h.ValueKind == JsonValueKind.True,
                Long(m, "timestamp"),
                m.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object
                    ? p.EnumerateObject().ToDictionary(e => e.Name, e => JsonNode.Parse(e.Value.GetRawText()))
                    : null)).ToList()
            : [];
        var message = new HostMessage(Text(root, "topic")!, Text(root, "type")!, Text(root, "device"), (int?)Long(root, "seq"), Long(root, "bdSeq"),
            metrics, root.TryGetProperty("problems", out var problems) ? problems.EnumerateArray().Select(p => p.GetString()!).ToList() : [], line);
        lock (_messages)
        {
            _messages.Add(message);
        }
    }

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static long? Long(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? (long)v.GetDouble() : null;
}
