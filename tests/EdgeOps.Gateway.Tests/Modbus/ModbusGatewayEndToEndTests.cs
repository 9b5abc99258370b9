using System.Globalization;
using System.Text.Json;
using EdgeOps.Modbus;
using EdgeOps.TestSupport;
using EdgeOps.TestSupport.Gateway;
using EdgeOps.TestSupport.Modbus;
using EdgeOps.TestSupport.Processes;

namespace EdgeOps.Gateway.Tests.Modbus;

/// <summary>
/// The shipped Modbus line (firmware-config/lines/modbus-filler.yaml) in the real gateway process against Debian's
/// pymodbus server: the PLC's 32-bit part counter (low word first) and the running and fault bits of its status word
/// become the filler's counts and state, exactly; the temperature float arrives as the condition feature; and five
/// PLC power cuts make the filler Offline, never Down, and neither double-count nor lose a part.
/// </summary>
public sealed class ModbusGatewayEndToEndTests : IAsyncLifetime
{
    private const uint Baseline = 70_000; // above 65535, so a wrong word order could not pass
    private readonly string _data = Directory.CreateTempSubdirectory("edgeops-modbus-e2e-").FullName;
    private readonly ModbusTestServer _server = new();
    private uint _counter = Baseline;

    public Task InitializeAsync()
    {
        SetCounter(Baseline);
        _server.Map.Unit(1).SetHolding(10, 0b01); // status word: running
        _server.Map.Unit(1).SetInput(20, 0x41AC, 0x0000); // float32 21.5 °C
        for (var coil = 100; coil < 104; coil++)
        {
            _server.Map.Unit(1).Coils[coil] = false; // the stack light: green, amber, red, buzzer
        }

        return _server.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }

    [Fact]
    public async Task Gateway_OnAModbusOnlyLine_CountsAndStatesEqualTheServer_AcrossFivePowerCuts()
    {
        var shipped = await File.ReadAllTextAsync(RepoPaths.File("firmware-config", "lines", "modbus-filler.yaml"));
        var config = Path.Combine(_data, "modbus-filler.yaml");
        await File.WriteAllTextAsync(config, shipped
            .Replace("host: 10.0.0.7", "host: 127.0.0.1", StringComparison.Ordinal)
            .Replace("port: 502", "port: " + _server.Port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal));

        var mqttPort = FreePort.Next();
        using var gateway = await GatewayProcess.StartAsync(["--config", config, "--data", _data, "--EdgeOps:ConsoleSummaryInterval=00:00:00",
            $"--EdgeOps:Mqtt:EmbeddedPort={mqttPort}"]);
        var temperatures = new System.Collections.Concurrent.ConcurrentQueue<double>();
        using var mqtt = new MQTTnet.MqttClientFactory().CreateMqttClient();
        mqtt.ApplicationMessageReceivedAsync += e =>
        {
            using var json = JsonDocument.Parse(e.ApplicationMessage.Payload);
            if (json.RootElement.TryGetProperty("mean", out var mean))
            {
                temperatures.Enqueue(mean.GetDouble());
            }

            return Task.CompletedTask;
        };
        await mqtt.ConnectAsync(new MQTTnet.MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", mqttPort)
            .WithClientId($"modbus-e2e-{Guid.NewGuid():N}").Build());
        await mqtt.SubscribeAsync(new MQTTnet.MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter("edgeops/v1/plant-leipzig/filling/filler-1/filler/condition/product-temp").Build());

        // The first reading sets the baseline; parts counted are the PLC counter minus it, exactly.
        await gateway.WaitForJsonAsync("/api/line", l => Filler(l).State == "running", TimeSpan.FromSeconds(60));
        await using var plc = new ModbusClient(new ModbusClientOptions { Host = _server.Host, Port = _server.Port });
        await StepCounterAsync(plc, 8);
        await gateway.WaitForJsonAsync("/api/line", l => Filler(l).Total == _counter - Baseline, TimeSpan.FromSeconds(30));

        await LampsAsync(plc, [true, false, false, false]);

        // The fault bit of the status word: Down, and the stack light on the PLC's coils shows it; cleared: running again.
        await plc.WriteSingleRegisterAsync(1, 10, 0b10);
        await gateway.WaitForJsonAsync("/api/line", l => Filler(l).State == "down", TimeSpan.FromSeconds(30));
        await LampsAsync(plc, [false, false, true, true]);
        await plc.WriteSingleRegisterAsync(1, 10, 0b01);
        await gateway.WaitForJsonAsync("/api/line", l => Filler(l).State == "running", TimeSpan.FromSeconds(30));
        await LampsAsync(plc, [true, false, false, false]);

        for (var round = 1; round <= 5; round++)
        {
            // Power cut: no data, so the filler is Offline (stale), not Down, and the count stands still.
            _server.Kill();
            var offline = await gateway.WaitForJsonAsync("/api/line", l => Filler(l).State == "offline", TimeSpan.FromSeconds(30));
            Assert.Equal(_counter - Baseline, (uint)Filler(offline).Total);

            // The PLC counted on while it was away from the gateway (a PLC keeps its counter through a link loss).
            SetCounter(_counter + 5);
            await _server.StartAsync();
            var back = await gateway.WaitForJsonAsync("/api/line",
                l => Filler(l).State == "running" && Filler(l).Total >= _counter - Baseline, TimeSpan.FromSeconds(60));
            Assert.Equal(_counter - Baseline, (uint)Filler(back).Total);
        }

        // Still exact after a while (a late double count would show now), and the gateway never restarted.
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(_counter - Baseline, (uint)Filler(await gateway.GetJsonAsync("/api/line")).Total);
        Assert.False(gateway.HasExited);
        Assert.Equal(Baseline + 8 + 25, _counter);

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (temperatures.IsEmpty && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        Assert.Contains(21.5, temperatures);
    }

    /// <summary>Waits until the stack light's coils (green, amber, red, buzzer) are as expected.</summary>
    private static async Task LampsAsync(ModbusClient plc, bool[] expected)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        bool[] actual = [];
        while (DateTime.UtcNow < deadline)
        {
            actual = await plc.ReadCoilsAsync(1, 100, 4);
            if (actual.SequenceEqual(expected))
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Equal(expected, actual);
    }

    private void SetCounter(uint value)
    {
        _counter = value;
        _server.Map.Unit(1).SetHolding(0, (ushort)value, (ushort)(value >> 16)); // low word first
    }

    private async Task StepCounterAsync(ModbusClient plc, int parts)
    {
        SetCounter(_counter + (uint)parts);
        await plc.WriteMultipleRegistersAsync(1, 0, new[] { (ushort)_counter, (ushort)(_counter >> 16) });
    }

    private static (string State, long Total) Filler(JsonElement line)
    {
        foreach (var machine in line.GetProperty("machines").EnumerateArray())
        {
            if (machine.GetProperty("machineId").GetString() == "filler")
            {
                return (machine.GetProperty("state").GetString()!, machine.GetProperty("lifetimeCounts").GetProperty("total").GetInt64());
            }
        }

        throw new InvalidOperationException($"No filler in {line}");
    }
}
