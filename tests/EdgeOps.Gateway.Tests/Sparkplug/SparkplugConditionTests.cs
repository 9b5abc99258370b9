using System.Text.Json.Nodes;
using EdgeOps.TestSupport;
using EdgeOps.TestSupport.Gateway;
using EdgeOps.TestSupport.Mosquitto;
using EdgeOps.TestSupport.Sparkplug;

namespace EdgeOps.Gateway.Tests.Sparkplug;

/// <summary>
/// The real gateway process on the shipped demo line (simulated, with vibration and temperature condition monitoring,
/// alarms and maintenance items) with Sparkplug on and the JSON contract off, a real Mosquitto and the independent
/// Tahu-based host: the DBIRTH declares the condition, alarm and maintenance metrics with units and the ISO 10816 zone
/// limits, condition windows arrive as DDATA, and a DCMD resets a maintenance item through the same handler, validation
/// and reply as the JSON <c>cmd/reset-maintenance</c>.
/// </summary>
public sealed class SparkplugConditionTests : IAsyncLifetime
{
    private const string Group = "plant-leipzig-body-shop";
    private const string Node = "gw-spb-cm";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(90);
    private readonly string _data = Directory.CreateTempSubdirectory("edgeops-sparkplug-cm-").FullName;
    private MosquittoBroker _broker = null!;

    public async Task InitializeAsync() => _broker = await MosquittoBroker.StartAsync();

    public async Task DisposeAsync()
    {
        await _broker.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }

    [Fact]
    public async Task DemoLine_JsonOff_BirthDeclaresConditionAlarmsAndMaintenance_DcmdResetsAMaintenanceItem()
    {
        await using var host = await SparkplugHost.StartAsync($"mqtt://127.0.0.1:{_broker.Port}", Group, Node);
        using var gateway = await GatewayProcess.StartAsync(
        [
            "--config", RepoPaths.File("firmware-config", "lines", "demo-line.yaml"), "--data", _data,
            "--EdgeOps:ConsoleSummaryInterval=00:00:00", $"--EdgeOps:GatewayId={Node}",
            $"--EdgeOps:Mqtt:Broker=mqtt://127.0.0.1:{_broker.Port}", "--EdgeOps:Sparkplug:Enabled=true", "--EdgeOps:Mqtt:Json:Enabled=false",
        ]);
        try
        {
            var birth = await host.WaitForAsync(m => m.Type == "DBIRTH" && m.Device == "press", Wait, "the press's DBIRTH");

            // Vibration: velocity RMS in mm/s and its ISO 10816-1 zone, both with class II's limits (A/B, B/C, C/D).
            var velocity = birth.Metric("Condition/vibration/Velocity RMS")!;
            Assert.Equal("Double", velocity.Type);
            Assert.Equal("mm/s", velocity.Properties!["engUnit"]!.GetValue<string>());
            var zone = birth.Metric("Condition/vibration/Zone")!;
            Assert.Equal("String", zone.Type);
            Assert.Equal("II", zone.Properties!["isoClass"]!.GetValue<string>());
            Assert.Equal(1.12, zone.Properties["zoneLimitAB"]!.GetValue<double>());
            Assert.Equal(2.8, zone.Properties["zoneLimitBC"]!.GetValue<double>());
            Assert.Equal(7.1, zone.Properties["zoneLimitCD"]!.GetValue<double>());
            Assert.Equal("°C", birth.Metric("Condition/bearing-temp/Mean")!.Properties!["engUnit"]!.GetValue<string>());
            Assert.Equal("°C/h", birth.Metric("Condition/bearing-temp/Trend")!.Properties!["engUnit"]!.GetValue<string>());

            // Alarms: one Boolean per configured alarm, its severity and thresholds as properties.
            var zoneC = birth.Metric("Alarms/vibration/zone-c")!;
            Assert.Equal("Boolean", zoneC.Type);
            Assert.Equal("warning", zoneC.Properties!["severity"]!.GetValue<string>());
            Assert.Equal(2.8, zoneC.Properties["raise"]!.GetValue<double>());
            Assert.Equal("critical", birth.Metric("Alarms/bearing-temp/hot")!.Properties!["severity"]!.GetValue<string>());

            // Maintenance items: usage since the last reset against the configured interval.
            Assert.Equal(160, birth.Metric("Maintenance/lubrication/Progress")!.Properties!["everyHours"]!.GetValue<double>());
            Assert.Equal("Int64", birth.Metric("Maintenance/die-change/Cycles")!.Type);
            Assert.Null(host.Messages.FirstOrDefault(m => m.Type == "DBIRTH" && m.Device == "welder")?.Metric("Maintenance/lubrication/Level"));

            // A 10 s window of the simulated vibration arrives as data.
            var window = await host.WaitForAsync(m => m.Type == "DDATA" && m.Device == "press"
                && m.Metric("Condition/vibration/Velocity RMS")?.Value?.GetValue<double>() > 0, Wait, "a vibration window");
            Assert.Contains(window.Metric("Condition/vibration/Zone")!.Value!.GetValue<string>(), new[] { "A", "B", "C", "D" });

            // Reset maintenance by DCMD: the JSON command's handler (on with the JSON contract off), its reply, its audit.
            await host.DeviceCommandAsync("press", ("Commands/Reset Maintenance", "String", "lubrication"), ("Commands/Operator", "String", "j.doe"),
                ("Commands/Request Id", "String", "m-1"));
            var reply = await WaitForReplyAsync(host, r => r["requestId"]?.GetValue<string>() == "m-1");
            Assert.True(reply["ok"]!.GetValue<bool>(), reply.ToJsonString());
            Assert.Equal("reset-maintenance", reply["verb"]!.GetValue<string>());
            await host.WaitForAsync(m => m.Type == "DDATA" && m.Device == "press"
                && m.Metric("Maintenance/lubrication/Last Reset By")?.Value?.GetValue<string>() == "j.doe", Wait, "the reset in the maintenance metrics");

            // The same validation: an item the press does not have is refused, naming the ones it has.
            await host.DeviceCommandAsync("press", ("Commands/Reset Maintenance", "String", "no-such-item"), ("Commands/Request Id", "String", "m-2"));
            var refused = await WaitForReplyAsync(host, r => r["requestId"]?.GetValue<string>() == "m-2");
            Assert.False(refused["ok"]!.GetValue<bool>());
            Assert.Contains("lubrication", refused["error"]!.GetValue<string>(), StringComparison.Ordinal);

            Assert.All(host.Messages, m => Assert.True(m.Problems.Count == 0, $"{m.Type} {m.Device} seq {m.Seq}: {string.Join("; ", m.Problems)}"));
        }
        finally
        {
            await gateway.StopAsync();
        }
    }

    private static async Task<JsonNode> WaitForReplyAsync(SparkplugHost host, Func<JsonNode, bool> match)
    {
        var message = await host.WaitForAsync(m => m.Type == "DDATA" && m.Metric("Commands/Reply")?.Value?.GetValue<string>() is { Length: > 0 } json
            && match(JsonNode.Parse(json)!), Wait, "the matching reply");
        return JsonNode.Parse(message.Metric("Commands/Reply")!.Value!.GetValue<string>())!;
    }
}
