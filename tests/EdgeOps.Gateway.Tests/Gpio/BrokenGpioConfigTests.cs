namespace EdgeOps.Gateway.Tests.Gpio;

/// <summary>The shipped retrofit line with one defect each; every error names the file, line and key path.</summary>
public sealed class BrokenGpioConfigTests : IDisposable
{
    private readonly GpioConfigFixture _fixture = new();

    public static TheoryData<string, string, string, string, string> Defects() => new()
    {
        // name, find, replace, expected key path, expected message start
        { "duplicate-pin", "pin: 27,", "pin: 17,", "machines[0].signals[1].source.gpio.pin", "line 17 is used twice: already by signal lathe/parts at machines[0].signals[0].source.gpio.pin" },
        { "reserved-pin", "pin: 24,", "pin: 2,", "machines[0].signals[4].source.gpio.pin", "line 2 is reserved on board 'rpi4' for i2c1-sda" },
        { "pin-board-lacks", "pin: 23,", "pin: 40,", "machines[0].signals[3].source.gpio.pin", "line 40 does not exist on board 'rpi4'" },
        { "unknown-chip", "driver: auto", "driver: auto\n    chip: gpiochip9", "sources.gpio.chip", "unknown chip 'gpiochip9' for board 'rpi4'" },
        { "unknown-board", "board: rpi4", "board: rpi3", "sources.gpio.board", "unknown board 'rpi3'" },
        { "unknown-driver", "driver: auto", "driver: gpiod", "sources.gpio.driver", "unknown driver 'gpiod'" },
        { "address-clash", "window: 10m }", "window: 10m }\n    - { id: env2, type: bme280, bus: i2c-1, address: 0x76 }", "sources.sensors[2].address", "address clash: i2c-1 address 0x76 is already used by sensor 'env1' at sources.sensors[1]" },
        { "wrong-address", "address: 0x76", "address: 0x48", "sources.sensors[1].address", "a BME280 answers at 0x76 or 0x77, not 0x48" },
        { "bus-board-lacks", "bus: i2c-1, address: 0x76", "bus: i2c-3, address: 0x76", "sources.sensors[1].bus", "board 'rpi4' has no bus i2c-3" },
        { "adxl-on-i2c", "bus: spi0.0", "bus: i2c-1", "sources.sensors[0].bus", "the ADXL345 binding speaks SPI only" },
        { "unknown-sensor", "device: vib1", "device: vib9", "machines[0].signals[5].source.sensor.device", "unknown sensor device 'vib9'" },
        { "unscaled-adc-input", "channel: ain1", "channel: ain2", "machines[0].signals[8].source.sensor.channel", "unknown channel of 'adc1'" },
        { "lamp-on-input-pin", "red: 13", "red: 22", "sources.outputs.stackLights[0].lamps.red", "line 22 is used twice: already by signal lathe/running" },
        { "lamp-unknown-machine", "machine: lathe", "machine: mill", "sources.outputs.stackLights[0].machine", "unknown machine 'mill'" },
        { "bad-edge", "edge: rising, debounce: 5ms, minWidth: 2ms, pull: up, activeLow: true } }\n      - name: rejects", "edge: up, debounce: 5ms, minWidth: 2ms, pull: up, activeLow: true } }\n      - name: rejects", "machines[0].signals[0].source.gpio.edge", "unknown edge 'up'" },
        { "button-unknown-reason", "reason: chip-jam", "reason: coffee", "machines[0].signals[9].reason", "unknown reason code 'coffee'" },
        { "button-planned-reason", "reason: chip-jam", "reason: break", "machines[0].signals[9].reason", "reason 'break' is a planned-stop reason" },
        { "button-without-reason", "        reason: chip-jam\n", "", "machines[0].signals[9].reason", "a reasonButton names the reason a press assigns" },
        { "reason-on-counter", "role: total\n", "role: total\n        reason: chip-jam\n", "machines[0].signals[0].reason", "only reasonButton signals take 'reason'" },
        { "gpio-analog", "source: { sensor: { device: env1, channel: temperature } }", "source: { gpio: { pin: 25 } }", "machines[0].signals[6].role", "a GPIO input is a pulse or a boolean" },
    };

    [Theory]
    [MemberData(nameof(Defects))]
    public void BrokenGpioConfig_FailsWithAMessageNamingTheKey(string name, string find, string replace, string keyPath, string message)
    {
        var (path, result) = _fixture.LoadVariant(name, find, replace);

        Assert.False(result.IsValid);
        var all = string.Join(Environment.NewLine, result.Errors);
        var error = result.Errors.FirstOrDefault(e => e.KeyPath == keyPath && e.Message.StartsWith(message, StringComparison.Ordinal));
        Assert.True(error is not null, $"expected '{keyPath}: {message}', got:{Environment.NewLine}{all}");
        Assert.Single(result.Errors);
        Assert.StartsWith($"{path}:{error.Line}:", error.ToString(), StringComparison.Ordinal);
        Assert.True(error.Line > 0, "the error points at a line of the file");
    }

    [Fact]
    public void PullOnABoardWithoutBias_IsRejected()
    {
        var text = """
            site: s
            area: a
            line: l
            timeZone: UTC
            shifts: [{ name: day, start: "06:00", end: "14:00" }]
            machines:
              - id: m1
                idealCycleTime: 10s
                signals:
                  - { name: parts, role: total, source: { gpio: { pin: 0, pull: up } } }
            sources:
              gpio: { board: generic-ipc }
            """;

        var (_, result) = _fixture.LoadText("pull-on-ipc", text);

        var error = Assert.Single(result.Errors);
        Assert.Equal("machines[0].signals[0].source.gpio.pull", error.KeyPath);
        Assert.StartsWith("board 'generic-ipc' cannot bias its lines", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _fixture.Dispose();
}
