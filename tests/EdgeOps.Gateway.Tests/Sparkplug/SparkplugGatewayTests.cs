using EdgeOps.Contract;
using EdgeOps.TestSupport;
using EdgeOps.TestSupport.Gateway;
using EdgeOps.TestSupport.Mosquitto;
using EdgeOps.TestSupport.Mqtt;
using EdgeOps.TestSupport.OpcUa;
using EdgeOps.TestSupport.Sparkplug;

namespace EdgeOps.Gateway.Tests.Sparkplug;

/// <summary>
/// The real gateway process with <c>EdgeOps:Sparkplug:Enabled</c>, the shipped OPC UA line against node-opcua, a real
/// Mosquitto, and the independent Tahu-based host: DDEATH and DBIRTH around a PLC that goes away and returns, and the
/// NBIRTH's bdSeq equal to the NDEATH that ends its session after a clean stop and after SIGKILL, restart after restart.
/// </summary>
public sealed class SparkplugGatewayTests : IAsyncLifetime
{
    private const string PlcPassword = "Pr3ss-Xq7-line2";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(90);
    private readonly string _data = Directory.CreateTempSubdirectory("edgeops-sparkplug-e2e-").FullName;
    private readonly OpcUaTestServer _server = new(new OpcUaTestServerOptions { Counters = 1, CounterInterval = TimeSpan.FromMilliseconds(500), Users = ["alice:" + PlcPassword] });
    private MosquittoBroker _broker = null!;

    public async Task InitializeAsync()
    {
        _broker = await MosquittoBroker.StartAsync();
        await _server.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _broker.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }

    [Fact]
    public async Task Gateway_DdeathAndDbirthAroundAStaleOpcUaSource_BdSeqMatchesAcrossStopKillAndRestart()
    {
        var config = await WriteLineAsync();
        await using var host = await SparkplugHost.StartAsync($"mqtt://127.0.0.1:{_broker.Port}", "plant-leipzig-press-shop", "gw-spb");

        // A second client on every topic: the host subscribes to spBv1.0/... only, so it could never see a JSON message.
        await using var everything = await TestSubscriber.StartAsync("127.0.0.1", _broker.Port, "#");
        string[] args = ["--config", config, "--data", _data, "--EdgeOps:ConsoleSummaryInterval=00:00:00", "--EdgeOps:GatewayId=gw-spb",
            $"--EdgeOps:Mqtt:Broker=mqtt://127.0.0.1:{_broker.Port}", "--EdgeOps:Sparkplug:Enabled=true", "--EdgeOps:Mqtt:Json:Enabled=false"];
        var environment = new Dictionary<string, string?> { ["EDGEOPS_PLC1_USER"] = "alice", ["EDGEOPS_PLC1_PASSWORD"] = PlcPassword };

        var gateway = await GatewayProcess.StartAsync(args, environment);
        try
        {
            var first = await host.WaitForAsync(m => m.Type == "NBIRTH", Wait, "the first NBIRTH");
            // The first DBIRTH can go out before the PLC's first values (state not yet running); running then comes as DDATA.
            var birth = await WaitForPressAsync(host, "DBIRTH", null, 0);
            await host.WaitForAsync(m => m.Type is "DBIRTH" or "DDATA" && m.Device == "press" && Index(host, m) >= Index(host, birth)
                && m.Metric("State")?.Value?.GetValue<string>() == "running", Wait, "the press running after its DBIRTH");

            // The PLC loses power: the press goes Offline (stale), so the host must mark its metrics stale: DDEATH.
            _server.Kill();
            var death = await WaitForPressAsync(host, "DDEATH", null, 0);
            await _server.StartAsync();
            await WaitForPressAsync(host, "DBIRTH", "running", Index(host, death));

            // A clean stop: the gateway disconnects with its will, the NDEATH of this session's bdSeq.
            await gateway.StopAsync();
            var cleanDeath = await host.WaitForAsync(m => m.Type == "NDEATH", Wait, "the NDEATH after a clean stop");
            Assert.Equal(first.BdSeq, cleanDeath.BdSeq);
            gateway.Dispose();

            // A restart takes the next bdSeq; SIGKILL leaves the broker to publish the will, with that same number.
            gateway = await GatewayProcess.StartAsync(args, environment);
            var second = await host.WaitForAsync(m => m.Type == "NBIRTH" && Index(host, m) > Index(host, cleanDeath), Wait, "the NBIRTH after the restart");
            Assert.Equal((first.BdSeq + 1) % 256, second.BdSeq);
            await WaitForPressAsync(host, "DBIRTH", "running", Index(host, second));
            gateway.Kill();
            var killedDeath = await host.WaitForAsync(m => m.Type == "NDEATH" && Index(host, m) > Index(host, second), Wait, "the NDEATH after SIGKILL");
            Assert.Equal(second.BdSeq, killedDeath.BdSeq);
            gateway.Dispose();

            gateway = await GatewayProcess.StartAsync(args, environment);
            var third = await host.WaitForAsync(m => m.Type == "NBIRTH" && Index(host, m) > Index(host, killedDeath), Wait, "the NBIRTH after SIGKILL and restart");
            Assert.Equal((second.BdSeq + 1) % 256, third.BdSeq);
            await host.WaitForAsync(m => m.Type == "DDATA" && m.Device == "press" && Index(host, m) > Index(host, third), Wait, "data after the last restart");

            // Every message decoded by Tahu's decoder and broke no session rule (seq, aliases, bdSeq, data only after births).
            Assert.All(host.Messages, m => Assert.True(m.Problems.Count == 0, $"{m.Type} {m.Device} seq {m.Seq}: {string.Join("; ", m.Problems)}"));

            // With the JSON contract off none of its data reaches the broker (no state, counts, KPI, events, condition or
            // shift, retained or not); the gateway's status topic stays, as docs/sparkplug.md says. The same client saw
            // the Sparkplug messages and that status, so its subscription did reach the gateway's topics.
            await everything.WaitForAsync(m => m.Topic.StartsWith("spBv1.0/plant-leipzig-press-shop/DDATA/gw-spb/", StringComparison.Ordinal),
                Wait, "the DDATA on the wide subscription");
            var status = MqttTopics.GatewayStatus("plant-leipzig", "gw-spb");
            var topics = everything.Received.Select(m => m.Topic).Distinct().ToList();
            Assert.Contains(status, topics);
            Assert.DoesNotContain(topics, t => t != status && !t.StartsWith("spBv1.0/", StringComparison.Ordinal));
        }
        finally
        {
            gateway.Dispose();
        }
    }

    private static int Index(SparkplugHost host, HostMessage message) => host.Messages.ToList().IndexOf(message);

    /// <summary>The press's next DBIRTH (with the given state) or DDEATH after position <paramref name="after"/>.</summary>
    private static Task<HostMessage> WaitForPressAsync(SparkplugHost host, string type, string? state, int after) =>
        host.WaitForAsync(m => m.Type == type && m.Device == "press" && Index(host, m) >= after
            && (state is null || m.Metric("State")?.Value?.GetValue<string>() == state), Wait, $"the press's {type} ({state ?? "any"})");

    private async Task<string> WriteLineAsync()
    {
        var shipped = await File.ReadAllTextAsync(RepoPaths.File("firmware-config", "lines", "opcua-press.yaml"));
        var config = Path.Combine(_data, "opcua-press.yaml");
        await File.WriteAllTextAsync(config, shipped
            .Replace("opc.tcp://10.0.0.5:4840/UA/EdgeOps", _server.EndpointUrl, StringComparison.Ordinal)
            .Replace("urn:plc1:app", _server.NamespaceUri, StringComparison.Ordinal)
            .Replace("securityPolicy: Basic256Sha256", "securityPolicy: Basic256Sha256\n        checkServerHostName: false", StringComparison.Ordinal));
        using var trustOutput = new StringWriter();
        using var trustError = new StringWriter();
        var trusted = await new EdgeOps.Gateway.Cli.OpcUaTrustCommand().RunAsync([_server.EndpointUrl, "--yes", "--data", _data], trustOutput, trustError, CancellationToken.None);
        Assert.True(trusted == 0, trustError.ToString());
        return config;
    }
}
