using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using EdgeOps.TestSupport;
using EdgeOps.TestSupport.Gateway;
using EdgeOps.TestSupport.Influx;
using EdgeOps.TestSupport.Processes;
using MQTTnet;

namespace EdgeOps.Gateway.Tests.Influx;

/// <summary>
/// The edge-local option with the real gateway process (simulated demo line) and a real influxd: what the gateway
/// publishes on MQTT is also in InfluxDB, mapped as the historian maps it, including what it published while
/// InfluxDB was down (through the durable buffer).
/// </summary>
public sealed class EdgeLocalInfluxTests : IDisposable
{
    // Monday 2026-11-23, 07:00 in Berlin: inside the early shift, so every machine produces.
    private const string MidShift = "2026-11-23T06:00:00Z";
    private readonly string _data = Directory.CreateTempSubdirectory("edgeops-edge-influx-").FullName;

    [Fact]
    public async Task Gateway_WithEdgeLocalInflux_StoresEveryCountsMessageItPublishes_EvenAcrossAnInfluxOutage()
    {
        await using var influxd = new InfluxV1Server();
        await influxd.StartAsync();
        await influxd.CreateDatabaseAsync("edge");
        var mqttPort = FreePort.Next();
        using var gateway = await GatewayProcess.StartAsync(
        [
            "--config", RepoPaths.File("firmware-config", "lines", "demo-line.yaml"),
            "--data", _data,
            $"--EdgeOps:Simulator:Start={MidShift}",
            "--EdgeOps:Simulator:Speed=10",
            "--EdgeOps:ConsoleSummaryInterval=00:00:00",
            $"--EdgeOps:Mqtt:EmbeddedPort={mqttPort}",
            "--EdgeOps:Influx:Enabled=true",
            "--EdgeOps:Influx:Api=V1",
            $"--EdgeOps:Influx:Url={influxd.Url}",
            "--EdgeOps:Influx:Database=edge",
            "--EdgeOps:Influx:RetryBudget=00:00:00.500",
            "--EdgeOps:Influx:RequestTimeout=00:00:02",
            "--EdgeOps:Influx:FlushInterval=00:00:00.250",
        ]);

        // What the gateway publishes, seen from the broker: (machine, ts ms) -> shift good count.
        var published = new ConcurrentDictionary<(string Machine, long TsMs), double>();
        using var subscriber = new MqttClientFactory().CreateMqttClient();
        subscriber.ApplicationMessageReceivedAsync += e =>
        {
            if (e.ApplicationMessage.Topic.EndsWith("/counts", StringComparison.Ordinal))
            {
                using var json = JsonDocument.Parse(e.ApplicationMessage.Payload);
                var root = json.RootElement;
                var ts = DateTimeOffset.Parse(root.GetProperty("ts").GetString()!, CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();
                published[(root.GetProperty("machine").GetString()!, ts)] = root.GetProperty("shift").GetProperty("good").GetDouble();
            }

            return Task.CompletedTask;
        };
        await subscriber.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", mqttPort)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500).Build());
        await subscriber.SubscribeAsync("edgeops/v1/#");

        await WaitAsync(async () => (await CountsAsync(influxd)).Count >= 5, "counts points in InfluxDB", gateway);

        // InfluxDB goes away while the line keeps publishing; the gateway buffers on disk.
        await influxd.StopAsync();
        var outageStart = published.Count;
        await WaitAsync(() => Task.FromResult(gateway.Output.Contains("to the durable buffer", StringComparison.Ordinal)
            && published.Count >= outageStart + 5), "counts published and buffered during the outage", gateway);
        await influxd.StartAsync();
        await Task.Delay(TimeSpan.FromSeconds(1));
        await subscriber.DisconnectAsync();
        var expected = published.ToDictionary(kv => kv.Key, kv => kv.Value);
        Assert.True(expected.Count >= 10, $"only {expected.Count} counts messages seen on MQTT");

        // Every counts message seen on MQTT is in InfluxDB at its own timestamp, with the same value.
        IReadOnlyDictionary<(string, long), double> stored = new Dictionary<(string, long), double>();
        await WaitAsync(async () =>
        {
            stored = await CountsAsync(influxd);
            return expected.All(kv => stored.TryGetValue(kv.Key, out var v) && v == kv.Value);
        }, "every published counts message in InfluxDB", gateway, () =>
            $"missing: {string.Join(", ", expected.Where(kv => !stored.ContainsKey(kv.Key)).Take(5).Select(kv => kv.Key))}");
        Assert.Contains("Durable buffer drained", gateway.Output, StringComparison.Ordinal);
        Assert.Equal(3, stored.Keys.Select(k => k.Item1).Distinct().Count());
    }

    [Fact]
    public async Task Gateway_WithEdgeLocalInfluxV2_ToVictoriaMetrics_StoresEveryKpiMessageItPublishes()
    {
        await using var victoria = new VictoriaMetricsServer();
        await victoria.StartAsync();
        var mqttPort = FreePort.Next();
        using var gateway = await GatewayProcess.StartAsync(
        [
            "--config", RepoPaths.File("firmware-config", "lines", "demo-line.yaml"),
            "--data", _data,
            $"--EdgeOps:Simulator:Start={MidShift}",
            "--EdgeOps:Simulator:Speed=10",
            "--EdgeOps:ConsoleSummaryInterval=00:00:00",
            $"--EdgeOps:Mqtt:EmbeddedPort={mqttPort}",
            "--EdgeOps:Influx:Enabled=true",
            "--EdgeOps:Influx:Api=V2",
            $"--EdgeOps:Influx:Url={victoria.Url}",
            "--EdgeOps:Influx:Org=edgeops",
            "--EdgeOps:Influx:Bucket=edgeops",
            "--EdgeOps:Influx:FlushInterval=00:00:00.250",
        ], new Dictionary<string, string?> { ["EdgeOps__Influx__Token"] = "local-token" });

        // (machine, ts ms) -> oee of every kpi message seen on the gateway's broker.
        var published = new ConcurrentDictionary<(string Machine, long TsMs), double>();
        using var subscriber = new MqttClientFactory().CreateMqttClient();
        subscriber.ApplicationMessageReceivedAsync += e =>
        {
            if (e.ApplicationMessage.Topic.EndsWith("/kpi", StringComparison.Ordinal))
            {
                using var json = JsonDocument.Parse(e.ApplicationMessage.Payload);
                var root = json.RootElement;
                var ts = DateTimeOffset.Parse(root.GetProperty("ts").GetString()!, CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();
                if (root.TryGetProperty("oee", out var oee) && oee.ValueKind == JsonValueKind.Number)
                {
                    published[(root.GetProperty("machine").GetString()!, ts)] = oee.GetDouble();
                }
            }

            return Task.CompletedTask;
        };
        await subscriber.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", mqttPort)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500).Build());
        await subscriber.SubscribeAsync("edgeops/v1/#");
        await WaitAsync(() => Task.FromResult(published.Count >= 6), "kpi messages on MQTT", gateway);
        await subscriber.DisconnectAsync();
        var expected = published.ToDictionary(kv => kv.Key, kv => kv.Value);

        var stored = new Dictionary<(string, long), double>();
        await WaitAsync(async () =>
        {
            stored.Clear();
            foreach (var series in await victoria.ExportAsync("{__name__=\"kpi_oee\"}"))
            {
                for (var i = 0; i < series.Values.Count; i++)
                {
                    stored[(series.Labels["machine"], series.TimestampsMs[i])] = series.Values[i];
                }
            }

            return expected.All(kv => stored.TryGetValue(kv.Key, out var v) && v == kv.Value);
        }, "every published kpi message in victoria-metrics", gateway, () =>
            $"missing: {string.Join(", ", expected.Where(kv => !stored.ContainsKey(kv.Key)).Take(5).Select(kv => kv.Key))}");
    }

    [Fact]
    public async Task Gateway_WithEdgeLocalInfluxEnabledButIncomplete_DoesNotStart_AndNamesTheKeys()
    {
        using var process = ManagedProcess.Start("dotnet",
        [
            GatewayProcess.DllPath,
            "--config", RepoPaths.File("firmware-config", "lines", "demo-line.yaml"),
            "--data", _data,
            $"--EdgeOps:Web:Urls=http://127.0.0.1:{FreePort.Next()}",
            $"--EdgeOps:Mqtt:EmbeddedPort={FreePort.Next()}",
            "--EdgeOps:Influx:Enabled=true",
            "--EdgeOps:Influx:Api=V1",
            "--EdgeOps:Influx:BatchSize=0",
        ], RepoPaths.Root);
        await process.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(2, process.ExitCode);
        Assert.Contains("EdgeOps:Influx:Url must be an absolute http(s) address", process.Output, StringComparison.Ordinal);
        Assert.Contains("EdgeOps:Influx:Database is required when EdgeOps:Influx:Api is V1", process.Output, StringComparison.Ordinal);
        Assert.Contains("EdgeOps:Influx:BatchSize must be 1..100000, got 0", process.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_data, "influx-buffer.db")));
    }

    public void Dispose() => Directory.Delete(_data, recursive: true);

    private static async Task<IReadOnlyDictionary<(string Machine, long TsMs), double>> CountsAsync(InfluxV1Server influxd)
    {
        var result = new Dictionary<(string, long), double>();
        foreach (var series in await influxd.QueryAsync("SELECT shift_good FROM counts GROUP BY machine", "edge"))
        {
            var machine = series.Tags["machine"];
            for (var row = 0; row < series.Rows.Count; row++)
            {
                result[(machine, series.Value(row, "time").GetInt64())] = series.Value(row, "shift_good").GetDouble();
            }
        }

        return result;
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, string what, GatewayProcess gateway, Func<string>? detail = null)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(45);
        while (DateTime.UtcNow < deadline)
        {
            if (gateway.HasExited)
            {
                throw new InvalidOperationException($"The gateway exited. Output:\n{gateway.Output}");
            }

            if (await condition())
            {
                return;
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"Not reached within 45 s: {what}. {detail?.Invoke()}\nGateway output:\n{gateway.Output}");
    }
}
