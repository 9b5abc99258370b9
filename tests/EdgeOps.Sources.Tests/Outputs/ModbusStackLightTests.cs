using System.Device.Gpio;
using EdgeOps.Core.Model;
using EdgeOps.Modbus;
using EdgeOps.Sources.Outputs;
using EdgeOps.TestSupport.Modbus;

namespace EdgeOps.Sources.Tests.Outputs;

/// <summary>A stack light on coils of Debian's pymodbus server, through <see cref="ModbusCoilDriver"/>.</summary>
public sealed class ModbusStackLightTests : IAsyncLifetime
{
    private readonly ModbusTestServer _server = new();

    // xunit 2 does not call IAsyncDisposable on a test class: without IAsyncLifetime every pymodbus server outlived its test.
    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _server.DisposeAsync().AsTask();

    [Fact]
    public async Task StackLightOnCoils_ShowsStates_ComesBackAfterTheDeviceRestarts_AndSwitchesOffAtStop()
    {
        for (var coil = 100; coil < 104; coil++)
        {
            _server.Map.Unit(1).Coils[coil] = false;
        }

        await _server.StartAsync();
        var definition = new StackLightDefinition
        {
            Id = "filler-tower",
            Machine = "filler",
            Device = "plc1",
            Lamps = new Dictionary<string, int> { ["green"] = 100, ["amber"] = 101, ["red"] = 102, ["buzzer"] = 103 },
            LampTestStep = TimeSpan.Zero,
        };
        var options = new ModbusClientOptions { Host = _server.Host, Port = _server.Port, ReconnectMinDelay = TimeSpan.FromMilliseconds(100), ReconnectMaxDelay = TimeSpan.FromMilliseconds(200) };
        var controller = new GpioController(new ModbusCoilDriver(options, 1, "plc1", refresh: TimeSpan.FromMilliseconds(300)));
        var runner = new StackLightRunner([definition], controller, TimeProvider.System);
        using var stop = new CancellationTokenSource();
        var run = runner.RunAsync(lampTest: false, stop.Token);
        await using var plc = new ModbusClient(options);

        runner.Show("filler", StateCategory.Running, DateTimeOffset.UtcNow);
        await CoilsAsync(plc, [true, false, false, false]);
        runner.Show("filler", StateCategory.Down, DateTimeOffset.UtcNow);
        await CoilsAsync(plc, [false, false, true, true]);

        // The PLC restarts with its coils off: the driver writes them again.
        runner.Show("filler", StateCategory.Running, DateTimeOffset.UtcNow);
        await CoilsAsync(plc, [true, false, false, false]);
        _server.Kill();
        await _server.StartAsync();
        await CoilsAsync(plc, [true, false, false, false]);

        await stop.CancelAsync();
        await run;
        controller.Dispose();
        await CoilsAsync(plc, [false, false, false, false]);
    }

    private static async Task CoilsAsync(ModbusClient plc, bool[] expected)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        bool[] actual = [];
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                actual = await plc.ReadCoilsAsync(1, 100, 4);
                if (actual.SequenceEqual(expected))
                {
                    return;
                }
            }
            catch (ModbusException)
            {
                // Restarting.
            }

            await Task.Delay(100);
        }

        Assert.Equal(expected, actual);
    }
}
