using System.Text.Json;
using EdgeOps.OpcUa.Client;
using EdgeOps.OpcUa.Types;
using EdgeOps.TestSupport;
using EdgeOps.TestSupport.Gateway;
using EdgeOps.TestSupport.OpcUa;

namespace EdgeOps.Gateway.Tests.OpcUa;

/// <summary>
/// The real gateway against the node-opcua PLC's Filler (tests/opcua-server): a filler whose state is one integer
/// cycling 1 (producing, 3 s) / 3 (infeed empty, 2 s), the same filler through the PackML preset (6 Execute / 5
/// Suspended) and a capper with a status word, from the shipped firmware-config/lines/packml-filler.yaml. The live API
/// shows Running and Idle alternating, the idle spells are micro-stops rather than one endless stop, and the counts equal
/// the PLC's counter. Then the bad inputs: code nodes of the wrong type, a negative code, a status word wider than its
/// width and an unmapped code are logged naming the signal, the machines are Down/unknown, and nothing crashes.
/// </summary>
public sealed class StateCodeEndToEndTests : IAsyncLifetime
{
    private readonly string _data = Directory.CreateTempSubdirectory("edgeops-statecode-e2e-").FullName;
    private readonly OpcUaTestServer _server = new(new OpcUaTestServerOptions { Counters = 1 });

    public Task InitializeAsync() => _server.StartAsync();

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }

    // The issue's filler: without "1: running" it would go Idle at the first 3 and never come back.
    private const string CodeFiller = """

          - id: filler-codes
            idealCycleTime: 0.15s
            stateCodes: { 1: running, 3: infeed-empty }
            reasons: [{ code: infeed-empty, label: Infeed empty, category: idle }]
            signals:
              - name: bottles
                role: total
                countMode: totalizer
                source: { opcua: { endpoint: plc1, node: "s=Filler.Count", namespaceUri: "urn:filler-plc:app" } }
              - name: state
                role: stateCode
                source: { opcua: { endpoint: plc1, node: "s=Filler.MachineState", namespaceUri: "urn:filler-plc:app" } }
        """;

    [Fact]
    public async Task Gateway_StateCodesPackMlAndStatusWord_AlternateRunningAndIdle_CountLikeThePlc()
    {
        var shipped = await File.ReadAllTextAsync(RepoPaths.File("firmware-config", "lines", "packml-filler.yaml"));
        var config = await WriteConfigAsync("packml-filler.yaml", shipped.TrimEnd() + "\n" + CodeFiller);
        using var gateway = await GatewayProcess.StartAsync(
            ["--config", config, "--data", _data, "--EdgeOps:ConsoleSummaryInterval=00:00:00", "--EdgeOps:Mqtt:Enabled=false"]);

        // Before Start the PLC waits: PackML Idle, infeed empty, status word starved. Every machine has its baseline.
        await gateway.WaitForJsonAsync("/api/line", l =>
            Machine(l, "filler") is ("idle", "not-producing", _, _, _) && Machine(l, "filler-codes") is ("idle", "infeed-empty", _, _, _)
            && Machine(l, "capper") is ("idle", "starved", _, _, _), TimeSpan.FromSeconds(60));
        await Task.Delay(TimeSpan.FromSeconds(1));

        await using var plc = new OpcUaClient(new OpcUaClientOptions { EndpointUrl = _server.EndpointUrl });
        await plc.ConnectAsync();
        var ns = (ushort)plc.NamespaceIndex(_server.NamespaceUri);
        var filler = (await plc.TranslateAsync([BrowsePathSpec.Parse("Objects/Filler", _server.NamespaceUri)]))[0].NodeId!;
        await plc.CallMethodAsync(filler, NodeId.FromString("Filler.Start", ns), []);

        // Watch three 5 s cycles: each machine's state as the API shows it, collapsed to its changes.
        var seen = new Dictionary<string, List<string>> { ["filler"] = [], ["filler-codes"] = [], ["capper"] = [] };
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(16);
        while (DateTime.UtcNow < until)
        {
            var line = await gateway.GetJsonAsync("/api/line");
            foreach (var (id, states) in seen)
            {
                var state = Machine(line, id).State;
                if (states.Count == 0 || states[^1] != state)
                {
                    states.Add(state);
                }
            }

            await Task.Delay(150);
        }

        // Maintenance mode on the PackML filler: a planned stop with its own reason, whatever the state machine does.
        await plc.CallMethodAsync(filler, NodeId.FromString("Filler.SetUnitMode", ns), [Variant.From(2)]);
        await gateway.WaitForJsonAsync("/api/line", l => Machine(l, "filler") is ("plannedStop", "maintenance-mode", _, _, _), TimeSpan.FromSeconds(30));
        await plc.CallMethodAsync(filler, NodeId.FromString("Filler.SetUnitMode", ns), [Variant.From(1)]);

        var bottles = (uint)(await plc.CallMethodAsync(filler, NodeId.FromString("Filler.Stop", ns), []))[0].Value!;
        var final = await gateway.WaitForJsonAsync("/api/line", l =>
            Machine(l, "filler").Total == bottles && Machine(l, "filler-codes").Total == bottles && Machine(l, "capper").Total == bottles,
            TimeSpan.FromSeconds(30));

        foreach (var (id, states) in seen)
        {
            // Idle (waiting), then running and idle in turn: at least two of each after Start, never stuck in one stop.
            Assert.True(states.Count(s => s == "running") >= 2, $"{id}: {string.Join(" → ", states)}");
            Assert.True(states.Skip(1).Count(s => s == "idle") >= 2, $"{id}: {string.Join(" → ", states)}");
            Assert.All(states, s => Assert.Contains(s, new[] { "idle", "running" }));

            var m = Machine(final, id);
            Assert.True(bottles >= 40, $"the PLC made {bottles} bottles in three cycles");
            Assert.Equal(bottles, m.Total);
            // Every idle spell (2 s, and the few seconds before Start) is shorter than the 120 s threshold: micro-stops.
            Assert.True(m.MicroStops >= 2, $"{id}: {m.MicroStops} micro-stops");
            Assert.Equal(0, m.Stops);
        }

        Assert.False(gateway.HasExited);
    }

    [Fact]
    public async Task Gateway_BadStateInputs_AreLoggedNamingTheSignal_MachinesDownUnknown_NothingCrashes()
    {
        var config = await WriteConfigAsync("bad-inputs.yaml", $$"""
            site: plant-hamburg
            area: bottling
            line: line-9
            timeZone: UTC
            shifts:
              - { name: day, start: "00:00", end: "12:00", days: [mon, tue, wed, thu, fri, sat, sun] }
              - { name: night, start: "12:00", end: "00:00", days: [mon, tue, wed, thu, fri, sat, sun] }
            sources:
              opcua:
                endpoints:
                  - { name: plc1, url: "{{_server.EndpointUrl}}", publishingInterval: 250ms }
            machines:
              - id: text-state
                staleAfter: 1h
                stateCodes: { 1: running }
                signals: [{ name: state, role: stateCode, source: { opcua: { endpoint: plc1, node: "s=Filler.StateText", namespaceUri: "{{_server.NamespaceUri}}" } } }]
              - id: flag-state
                staleAfter: 1h
                stateCodes: { 1: running }
                signals: [{ name: state, role: stateCode, source: { opcua: { endpoint: plc1, node: "s=Filler.StateFlag", namespaceUri: "{{_server.NamespaceUri}}" } } }]
              - id: negative-state
                staleAfter: 1h
                stateCodes: { 1: running }
                signals: [{ name: state, role: stateCode, source: { opcua: { endpoint: plc1, node: "s=Filler.NegativeState", namespaceUri: "{{_server.NamespaceUri}}" } } }]
              - id: wide-status
                staleAfter: 1h
                signals: [{ name: status, role: statusWord, bits: { 0: running }, source: { opcua: { endpoint: plc1, node: "s=Filler.WideStatus", namespaceUri: "{{_server.NamespaceUri}}" } } }]
              - id: unmapped
                staleAfter: 1h
                stateCodes: { 1: running }
                signals: [{ name: state, role: stateCode, source: { opcua: { endpoint: plc1, node: "s=Filler.MachineState", namespaceUri: "{{_server.NamespaceUri}}" } } }]
            """);
        using var gateway = await GatewayProcess.StartAsync(
            ["--config", config, "--data", _data, "--EdgeOps:ConsoleSummaryInterval=00:00:00", "--EdgeOps:Mqtt:Enabled=false"]);

        string[] ids = ["text-state", "flag-state", "negative-state", "wide-status", "unmapped"];
        var line = await gateway.WaitForJsonAsync("/api/line", l => ids.All(id => Machine(l, id) is ("down", "unknown", _, _, _)), TimeSpan.FromSeconds(60));
        await WaitForOutputAsync(gateway, "Machine unmapped: signal state sent code 3");

        var output = gateway.Output;
        Assert.Contains("signal text-state/state carries a code, but its node sent a String", output, StringComparison.Ordinal);
        Assert.Contains("signal flag-state/state carries a code, but its node sent a Boolean", output, StringComparison.Ordinal);
        Assert.Contains("Machine negative-state: signal state sent -5, not a state code", output, StringComparison.Ordinal);
        Assert.Contains("Machine wide-status: signal status sent 65537, does not fit the status word's 16 bits", output, StringComparison.Ordinal);
        Assert.Contains("Machine unmapped: signal state sent code 3, which 'stateCodes' does not map", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Engine pass failed", output, StringComparison.Ordinal);

        // The same unmapped code is reported once, also as an event on the API.
        var events = await gateway.GetJsonAsync("/api/events");
        var unmapped = events.EnumerateArray().Where(e => e.GetProperty("kind").GetString() == "unmappedStateCode").ToList();
        var only = Assert.Single(unmapped);
        Assert.Equal(("unmapped", "state", 3), (only.GetProperty("machineId").GetString(), only.GetProperty("signalName").GetString(), only.GetProperty("code").GetInt32()));
        Assert.Equal(1, CountOf(output, "sent code 3"));
        Assert.False(gateway.HasExited);
        Assert.All(ids, id => Assert.Equal("down", Machine(line, id).State));
    }

    private async Task<string> WriteConfigAsync(string name, string text)
    {
        var path = Path.Combine(_data, name);
        await File.WriteAllTextAsync(path, text
            .Replace("opc.tcp://10.0.0.7:4840/UA/EdgeOps", _server.EndpointUrl, StringComparison.Ordinal)
            .Replace("urn:filler-plc:app", _server.NamespaceUri, StringComparison.Ordinal));
        return path;
    }

    private static async Task WaitForOutputAsync(GatewayProcess gateway, string text)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!gateway.Output.Contains(text, StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"'{text}' not logged. Output:\n{gateway.Output}");
            }

            await Task.Delay(100);
        }
    }

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private static (string State, string Reason, long Total, int MicroStops, int Stops) Machine(JsonElement line, string id)
    {
        foreach (var machine in line.GetProperty("machines").EnumerateArray())
        {
            if (machine.GetProperty("machineId").GetString() == id)
            {
                var kpi = machine.GetProperty("kpi");
                return (machine.GetProperty("state").GetString()!, machine.GetProperty("reasonCode").GetString()!,
                    machine.GetProperty("lifetimeCounts").GetProperty("total").GetInt64(),
                    kpi.GetProperty("microStopCount").GetInt32(), kpi.GetProperty("stopCount").GetInt32());
            }
        }

        throw new InvalidOperationException($"No {id} in {line}");
    }
}
