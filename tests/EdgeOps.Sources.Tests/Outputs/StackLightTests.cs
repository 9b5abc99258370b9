using System.Device.Gpio;
using EdgeOps.Core.Model;
using EdgeOps.Sources.Outputs;
using EdgeOps.TestSupport.Gpio;
using Microsoft.Extensions.Time.Testing;

namespace EdgeOps.Sources.Tests.Outputs;

public sealed class StackLightTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 6, 0, 0, TimeSpan.Zero);

    private static readonly StackLightDefinition Tower = new()
    {
        Id = "tower",
        Machine = "press",
        Lamps = new Dictionary<string, int> { ["green"] = 5, ["amber"] = 6, ["red"] = 13, ["buzzer"] = 19 },
        ActiveLow = true,
        BuzzerFor = TimeSpan.FromSeconds(10),
    };

    [Fact]
    public void Outputs_FollowStateChanges_ThroughTheDefaultMapping()
    {
        var (clock, driver, light) = Open(Tower);

        light.Show(StateCategory.Running, Start, clock.GetUtcNow());
        Assert.Equal(Lit("green"), Wire(driver, Tower));

        light.Show(StateCategory.Idle, Start.AddMinutes(1), Start.AddMinutes(1));
        Assert.Equal(Lit("amber"), Wire(driver, Tower));

        light.Show(StateCategory.Down, Start.AddMinutes(2), Start.AddMinutes(2));
        Assert.Equal(Lit("red", "buzzer"), Wire(driver, Tower));

        // The buzzer stops after 10 s; the red lamp stays.
        light.Tick(Start.AddMinutes(2).AddSeconds(9.9));
        Assert.Equal(Lit("red", "buzzer"), Wire(driver, Tower));
        light.Tick(Start.AddMinutes(2).AddSeconds(10));
        Assert.Equal(Lit("red"), Wire(driver, Tower));

        light.Show(StateCategory.PlannedStop, Start.AddMinutes(3), Start.AddMinutes(3));
        Assert.Equal(Lit(), Wire(driver, Tower));
    }

    [Fact]
    public void Offline_FlashesRed_InPhaseWithTheStateStart()
    {
        var (_, driver, light) = Open(Tower);
        var since = Start.AddSeconds(1);

        light.Show(StateCategory.Offline, since, since);
        Assert.Equal(Lit("red"), Wire(driver, Tower));
        light.Tick(since.AddMilliseconds(500));
        Assert.Equal(Lit(), Wire(driver, Tower));
        light.Tick(since.AddMilliseconds(999));
        Assert.Equal(Lit(), Wire(driver, Tower));
        light.Tick(since.AddMilliseconds(1000));
        Assert.Equal(Lit("red"), Wire(driver, Tower));
    }

    [Fact]
    public void ActiveLowRelays_AreDrivenLowToLight_AndStartOff()
    {
        var (_, driver, light) = Open(Tower);

        Assert.All(Tower.Lamps.Values, pin => Assert.Equal(PinValue.High, driver.OutputLevel(pin)));
        light.Show(StateCategory.Running, Start, Start);
        Assert.Equal(PinValue.Low, driver.OutputLevel(5));
    }

    [Fact]
    public void ConfiguredMapping_ReplacesTheDefaultForItsStates()
    {
        var custom = Tower with
        {
            Mapping = new Dictionary<StateCategory, IReadOnlyDictionary<string, LampMode>>(StackLightDefinition.DefaultMapping)
            {
                [StateCategory.PlannedStop] = new Dictionary<string, LampMode> { ["amber"] = LampMode.Flash },
            },
        };
        var (_, driver, light) = Open(custom);

        light.Show(StateCategory.PlannedStop, Start, Start);
        Assert.Equal(Lit("amber"), Wire(driver, custom));
        light.Tick(Start.AddMilliseconds(600));
        Assert.Equal(Lit(), Wire(driver, custom));
    }

    [Fact]
    public async Task Runner_LampTestLightsEachLampInTurn_ThenShowsOffline_AndSwitchesOffWhenStopped()
    {
        var clock = new FakeTimeProvider(Start);
        var driver = new VirtualGpioDriver(clock);
        using var controller = new GpioController(driver);
        var runner = new StackLightRunner([Tower with { LampTestStep = TimeSpan.FromMilliseconds(500) }], controller, clock);
        using var cts = new CancellationTokenSource();
        var run = Task.Run(() => runner.RunAsync(lampTest: true, cts.Token));

        for (var i = 0; i < 400 && driver.Writes.Count(w => w.Value == PinValue.Low) < 4; i++)
        {
            await Task.Delay(2);
            clock.Advance(TimeSpan.FromMilliseconds(100));
        }

        // Each lamp went on (low) once, in config order, 500 ms apart.
        var onWrites = driver.Writes.Where(w => w.Value == PinValue.Low).Take(4).ToList();
        Assert.Equal([5, 6, 13, 19], onWrites.Select(w => w.Pin));
        Assert.Equal(TimeSpan.FromMilliseconds(1500), onWrites[3].At - onWrites[0].At);

        runner.Show("press", StateCategory.Running, clock.GetUtcNow());
        Assert.Equal(PinValue.Low, driver.OutputLevel(5));
        runner.Show("other-machine", StateCategory.Down, clock.GetUtcNow());
        Assert.Equal(PinValue.High, driver.OutputLevel(13));

        await cts.CancelAsync();
        await run;
        Assert.All(Tower.Lamps.Values, pin => Assert.Equal(PinValue.High, driver.OutputLevel(pin)));
        Assert.All(Tower.Lamps.Values, pin => Assert.False(driver.IsOpen(pin)));
    }

    private static (FakeTimeProvider Clock, VirtualGpioDriver Driver, StackLight Light) Open(StackLightDefinition definition)
    {
        var clock = new FakeTimeProvider(Start);
        var driver = new VirtualGpioDriver(clock);
        var light = new StackLight(definition, new GpioController(driver));
        light.Open(Start);
        return (clock, driver, light);
    }

    private static string Lit(params string[] lamps) => string.Join(",", lamps.Order(StringComparer.Ordinal));

    private static string Wire(VirtualGpioDriver driver, StackLightDefinition definition) =>
        string.Join(",", definition.Lamps.Where(l => driver.OutputLevel(l.Value) == (definition.ActiveLow ? PinValue.Low : PinValue.High)).Select(l => l.Key).Order(StringComparer.Ordinal));
}
