using System.Text.Json;
using EdgeOps.OpcUa.Client;
using EdgeOps.OpcUa.Types;
using EdgeOps.TestSupport;
using EdgeOps.TestSupport.Gateway;
using EdgeOps.TestSupport.OpcUa;
using EdgeOps.TestSupport.Processes;

namespace EdgeOps.Gateway.Tests.OpcUa;

/// <summary>
/// The shipped OPC UA line (firmware-config/lines/opcua-press.yaml) in the real gateway process against a real
/// node-opcua server: the PLC's part counter (a totalizer) and Running flag become the press's counts and state in
/// the HTTP API, and a PLC restart mid-run neither double-counts nor loses the parts made while it was away.
/// </summary>
public sealed class OpcUaGatewayEndToEndTests : IAsyncLifetime
{
    private const string PlcPassword = "Pr3ss-Xq7-line2";
    private readonly string _data = Directory.CreateTempSubdirectory("edgeops-opcua-e2e-").FullName;

    // The counter moves every 500 ms (2 parts/s, the line's ideal cycle) and keeps counting while the server is down,
    // as a PLC's part counter would.
    private readonly OpcUaTestServer _server = new(new OpcUaTestServerOptions { Counters = 1, CounterInterval = TimeSpan.FromMilliseconds(500), Users = ["alice:" + PlcPassword] });

    public Task InitializeAsync() => _server.StartAsync();

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }

    [Fact]
    public async Task Gateway_CountsAndStateFromNodeOpcua_SurviveAServerRestart_WithoutDoubleCounting()
    {
        var shipped = await File.ReadAllTextAsync(RepoPaths.File("firmware-config", "lines", "opcua-press.yaml"));
        var config = Path.Combine(_data, "opcua-press.yaml");
        Assert.Contains("securityMode: SignAndEncrypt", shipped, StringComparison.Ordinal);
        await File.WriteAllTextAsync(config, shipped
            .Replace("opc.tcp://10.0.0.5:4840/UA/EdgeOps", _server.EndpointUrl, StringComparison.Ordinal)
            .Replace("urn:plc1:app", _server.NamespaceUri, StringComparison.Ordinal)

            // node-opcua's certificate names the machine, not the 127.0.0.1 the test dials.
            .Replace("securityPolicy: Basic256Sha256", "securityPolicy: Basic256Sha256\n        checkServerHostName: false", StringComparison.Ordinal));

        // Trust the PLC's certificate as an operator would, into the gateway's data directory.
        using (var trustOutput = new StringWriter())
        using (var trustError = new StringWriter())
        {
            var trusted = await new EdgeOps.Gateway.Cli.OpcUaTrustCommand().RunAsync([_server.EndpointUrl, "--yes", "--data", _data], trustOutput, trustError, CancellationToken.None);
            Assert.True(trusted == 0, trustError.ToString());
        }

        var mqttPort = FreePort.Next();
        using var gateway = await GatewayProcess.StartAsync(["--config", config, "--data", _data, "--EdgeOps:ConsoleSummaryInterval=00:00:00",
            $"--EdgeOps:Mqtt:EmbeddedPort={mqttPort}"],
            new Dictionary<string, string?> { ["EDGEOPS_PLC1_USER"] = "alice", ["EDGEOPS_PLC1_PASSWORD"] = PlcPassword });

        // The counts as the MQTT contract publishes them (retained, at most every 5 s).
        var published = new System.Collections.Concurrent.ConcurrentQueue<long>();
        using var mqtt = new MQTTnet.MqttClientFactory().CreateMqttClient();
        mqtt.ApplicationMessageReceivedAsync += e =>
        {
            using var json = JsonDocument.Parse(e.ApplicationMessage.Payload);
            published.Enqueue(json.RootElement.GetProperty("lifetime").GetProperty("total").GetInt64());
            return Task.CompletedTask;
        };
        await mqtt.ConnectAsync(new MQTTnet.MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", mqttPort)
            .WithClientId($"opcua-e2e-{Guid.NewGuid():N}").Build());
        await mqtt.SubscribeAsync(new MQTTnet.MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter("edgeops/v1/plant-leipzig/press-shop/press-2/press/counts", MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce).Build());
        await gateway.WaitForJsonAsync("/api/line", l => Press(l).State == "running" && Press(l).Total >= 4, TimeSpan.FromSeconds(60));

        // Counted parts = PLC counter − the counter's value when the gateway first saw it: the offset stays fixed.
        var offsetBefore = await OffsetAsync(gateway);
        Assert.True(offsetBefore > 0, $"offset {offsetBefore}: the first reading only sets the baseline, so the counter is ahead of the count");
        var totalBefore = Press(await gateway.GetJsonAsync("/api/line")).Total;

        // The PLC loses power: no data, so the press is Offline (stale), not Down; the count stands still.
        _server.Kill();
        var offline = await gateway.WaitForJsonAsync("/api/line", l => Press(l).State == "offline", TimeSpan.FromSeconds(30));
        var downAt = DateTime.UtcNow;
        await Task.Delay(TimeSpan.FromSeconds(5));
        var whileDown = Press(await gateway.GetJsonAsync("/api/line"));
        Assert.Equal("offline", whileDown.State);
        Assert.Equal(Press(offline).Total, whileDown.Total);

        // Back on the same port, counting on from where a PLC that never stopped would be.
        await _server.StartAsync();
        var missed = (int)((DateTime.UtcNow - downAt).TotalMilliseconds / 500);
        await gateway.WaitForJsonAsync("/api/line", l => Press(l).State == "running" && Press(l).Total >= whileDown.Total + missed, TimeSpan.FromSeconds(60));
        await Task.Delay(TimeSpan.FromSeconds(2));

        var offsetAfter = await OffsetAsync(gateway);
        var totalAfter = Press(await gateway.GetJsonAsync("/api/line")).Total;

        // Double counting (the counter taken again from zero or from an old baseline) would add hundreds; losing the
        // outage's parts (re-baselining on reconnect) would shift the offset by about `missed` (≥ 10).
        Assert.InRange(offsetAfter, offsetBefore - 2, offsetBefore + 2);
        Assert.True(totalAfter - totalBefore >= missed, $"{totalAfter - totalBefore} parts counted across a {missed}-part outage");
        Assert.False(gateway.HasExited);

        // Signed and encrypted with a username, and the password never reaches the log.
        Assert.DoesNotContain(PlcPassword, gateway.Output, StringComparison.Ordinal);

        // MQTT carries the same counts: they reach what the API showed, and never jump by a double count.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!published.Any(t => t >= totalAfter) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        // The largest honest step is the catch-up after the outage (every part the PLC made while unreachable arrives
        // in one change); no single step can exceed all the parts counted across the outage, which a count taken again
        // from the counter's raw value would.
        var totals = published.ToArray();
        Assert.Contains(totals, t => t >= totalAfter);
        for (var i = 1; i < totals.Length; i++)
        {
            Assert.InRange(totals[i] - totals[i - 1], 0, Math.Max(100, totalAfter - totalBefore));
        }
    }

    /// <summary>PLC counter minus the gateway's count, the smallest of a few readings (the API lags the PLC a little).</summary>
    private async Task<long> OffsetAsync(GatewayProcess gateway)
    {
        await using var client = new OpcUaClient(new OpcUaClientOptions { EndpointUrl = _server.EndpointUrl });
        await client.ConnectAsync();
        var node = NodeId.FromString("Counter.0", (ushort)client.NamespaceIndex(_server.NamespaceUri));
        var best = long.MaxValue;
        for (var i = 0; i < 4; i++)
        {
            var counted = Press(await gateway.GetJsonAsync("/api/line")).Total;
            var plc = (uint)(await client.ReadValueAsync(node)).Value.Value!;
            best = Math.Min(best, plc - counted);
            await Task.Delay(300);
        }

        return best;
    }

    private static (string State, long Total) Press(JsonElement line)
    {
        foreach (var machine in line.GetProperty("machines").EnumerateArray())
        {
            if (machine.GetProperty("machineId").GetString() == "press")
            {
                return (machine.GetProperty("state").GetString()!, machine.GetProperty("lifetimeCounts").GetProperty("total").GetInt64());
            }
        }

        throw new InvalidOperationException($"No press in {line}");
    }
}
