using System.Device.Gpio;
using EdgeOps.Gateway.Cli;
using EdgeOps.TestSupport;
using EdgeOps.TestSupport.Gpio;
using Microsoft.Extensions.Time.Testing;

namespace EdgeOps.Gateway.Tests.Gpio;

public sealed class GpioCliTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 6, 0, 0, TimeSpan.Zero);
    private static readonly string Line = RepoPaths.File("firmware-config", "lines", "gpio-retrofit.yaml");

    [Fact]
    public void Registry_HasTheGpioAndSensorVerbs()
    {
        Assert.Contains(CommandRegistry.All, c => c.Path.SequenceEqual(["gpio", "watch"]));
        Assert.Contains(CommandRegistry.All, c => c.Path.SequenceEqual(["gpio", "lamp-test"]));
        Assert.Contains(CommandRegistry.All, c => c.Path.SequenceEqual(["sensors", "read"]));
    }

    [Fact]
    public async Task GpioWatch_OnAMachineWithoutTheChip_PrintsOneLineNamingIt_NotAStackTrace()
    {
        var output = new StringWriter();
        var error = new StringWriter();

        var code = await new GpioWatchCommand().RunAsync(["--config", Line], output, error, CancellationToken.None);

        Assert.Equal(1, code);
        var message = error.ToString();
        Assert.StartsWith("edgeops gpio watch: GPIO chip gpiochip0 (pinctrl-bcm2711) of board 'rpi4'", message, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GpioWatch_ShowsLevelsAndPulseCountsPerPin()
    {
        var clock = new FakeTimeProvider(Start);
        var driver = new VirtualGpioDriver(clock);
        foreach (var pin in new[] { 17, 27, 22, 23, 24 })
        {
            driver.SetInitialLevel(pin, PinValue.High);
        }

        var command = new GpioWatchCommand((_, _) => new GpioController(driver), clock);
        var output = new StringWriter();
        var run = Task.Run(() => command.RunAsync(["17", "22", "5", "--config", Line, "--for", "10s"], output, TextWriter.Null, CancellationToken.None));
        for (var i = 0; i < 300 && !output.ToString().Contains("Watching", StringComparison.Ordinal); i++)
        {
            await Task.Delay(10);
        }

        for (var part = 0; part < 3; part++)
        {
            driver.Pulse(17, Start.AddSeconds(1 + part), TimeSpan.FromMilliseconds(100), PinValue.Low);
        }

        driver.Drive(22, PinValue.Low, Start.AddSeconds(5));
        for (var i = 0; i < 300 && !run.IsCompleted; i++)
        {
            clock.Advance(TimeSpan.FromMilliseconds(500));
            await Task.Delay(5);
        }

        Assert.Equal(0, await run);
        var last = output.ToString().Split(Environment.NewLine).Where(l => l.Length > 0).TakeLast(3).ToList();
        Assert.Matches(@"^\s+17\s+lathe/parts\s+-\s+wire high\s+pulses\s+3\s+edges\s+6$", last[0]);
        Assert.Matches(@"^\s+22\s+lathe/running\s+ACTIVE\s+wire low\s+pulses\s+0", last[1]);
        Assert.Matches(@"^\s+5\s+line 5\s+-\s+wire low\s+pulses\s+0", last[2]);
    }

    [Fact]
    public async Task SensorsRead_PrintsOneReadingPerSensor_AndFailsNamingTheSensorThatDoesNotAnswer()
    {
        var buses = new EmulatedSensorBuses();
        var output = new StringWriter();
        var error = new StringWriter();

        var code = await new SensorsReadCommand(buses).RunAsync(["--config", Line], output, error, CancellationToken.None);

        Assert.Equal(0, code);
        var lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("vib1 (adxl345 on spi0.0): x=0 m/s², y=0 m/s², z=9.807 m/s²", lines[0], StringComparison.Ordinal);
        Assert.Equal("env1 (bme280 on i2c-1 @0x76): temperature=25.082 °C, pressure=1006.533 hPa, humidity=" + lines[1].Split("humidity=")[1], lines[1]);
        Assert.StartsWith("adc1 (ads1115 on i2c-1 @0x48): ain0=25", lines[2], StringComparison.Ordinal);

        buses.I2c.Unplug(0x76);
        output = new StringWriter();
        code = await new SensorsReadCommand(buses).RunAsync(["--config", Line], output, error, CancellationToken.None);

        Assert.Equal(1, code);
        Assert.Contains("env1 (bme280 on i2c-1 @0x76): ERROR", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("adc1", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LampTest_LightsEveryLampInTurn_ThenLeavesThemOff()
    {
        var clock = new FakeTimeProvider(Start);
        var driver = new VirtualGpioDriver(clock);
        var command = new GpioLampTestCommand((_, _) => new GpioController(driver), clock);
        var output = new StringWriter();
        var run = Task.Run(() => command.RunAsync(["--config", Line], output, TextWriter.Null, CancellationToken.None));
        for (var i = 0; i < 500 && !run.IsCompleted; i++)
        {
            await Task.Delay(2);
            clock.Advance(TimeSpan.FromMilliseconds(100));
        }

        Assert.Equal(0, await run);
        // The retrofit tower is active-low: a lamp lights when its line goes low.
        Assert.Equal([5, 6, 13, 19], driver.Writes.Where(w => w.Value == PinValue.Low).Select(w => w.Pin));
        Assert.All(new[] { 5, 6, 13, 19 }, pin => Assert.Equal(PinValue.High, driver.OutputLevel(pin)));
        Assert.Contains("Lamp test done", output.ToString(), StringComparison.Ordinal);
    }
}
