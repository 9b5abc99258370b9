using System.Device.I2c;
using System.Device.Spi;
using System.Threading.Channels;
using EdgeOps.Core.Model;
using EdgeOps.Core.Signals;
using EdgeOps.Sources.Sensors;
using EdgeOps.TestSupport.I2c;
using Microsoft.Extensions.Time.Testing;

namespace EdgeOps.Sources.Tests.Sensors;

public sealed class SensorSourceTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 6, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Source_WhenASensorStopsAnswering_MarksItsSignalsBadOnce_KeepsTheOthers_AndRecoversOnRetry()
    {
        var bus = new EmulatedI2cBus();
        var bme = bus.Attach(0x76, new EmulatedBme280(EmulatedBme280.DatasheetExample));
        bme.SetRaw(519888, 415148, 30000);
        var ads = bus.Attach(0x48, new EmulatedAds1115());
        ads.SetInput(0, 1.8);
        var catalog = new SignalCatalog(Line());
        var temperature = catalog.Resolve("m1", "temp");
        var current = catalog.Resolve("m1", "current");
        var clock = new FakeTimeProvider(Start);
        var channel = Channel.CreateUnbounded<Signal>();
        var source = new SensorSource(catalog, new Buses(bus), clock);
        using var cts = new CancellationTokenSource();
        var run = Task.Run(() => source.RunAsync(channel.Writer, cts.Token));
        var seen = new List<Signal>();

        await Until(() => seen.Any(s => s.Handle == temperature) && seen.Any(s => s.Handle == current));
        Assert.Equal(25.08, seen.First(s => s.Handle == temperature).Value, 0.005);
        Assert.True(source.IsConnected);

        bus.Unplug(0x76);
        await Until(() => seen.Any(s => s.Handle == temperature && s.Quality == SignalQuality.Bad));
        Assert.False(source.IsConnected);
        var outageStart = seen.Count;

        // Several retries fail while unplugged; the current clamp keeps sampling throughout.
        await Until(() => source.Status["env1"].Failures >= 3);
        Assert.Equal(1, seen.Count(s => s.Handle == temperature && s.Quality == SignalQuality.Bad));
        Assert.Contains(seen.Skip(outageStart), s => s.Handle == current && s.Quality == SignalQuality.Good);

        bus.Replug(0x76);
        bme.SetRaw(519888, 415148, 30000);
        var goodAgain = seen.Count;
        await Until(() => seen.Skip(goodAgain).Any(s => s.Handle == temperature && s.Quality == SignalQuality.Good));
        Assert.True(source.Status["env1"].Connected);

        await cts.CancelAsync();
        await run;

        async Task Until(Func<bool> condition)
        {
            for (var i = 0; i < 400 && !condition(); i++)
            {
                await Task.Delay(2);
                while (channel.Reader.TryRead(out var s))
                {
                    seen.Add(s);
                }

                if (!condition())
                {
                    clock.Advance(TimeSpan.FromMilliseconds(250));
                }
            }

            Assert.True(condition(), "condition not reached");
        }
    }

    private static LineDefinition Line() => new()
    {
        Site = "s",
        Area = "a",
        Line = "l",
        TimeZone = "UTC",
        Shifts = [],
        Machines =
        [
            new MachineDefinition
            {
                Id = "m1",
                IdealCycleTime = TimeSpan.FromSeconds(10),
                Signals =
                [
                    new SignalDefinition { Name = "temp", Role = SignalRole.Analog, Source = new SensorBinding { Device = "env1", Channel = "temperature" } },
                    new SignalDefinition { Name = "current", Role = SignalRole.Analog, Source = new SensorBinding { Device = "adc1", Channel = "ain0" } },
                ],
            },
        ],
        Sources = new SourcesDefinition
        {
            Sensors =
            [
                new SensorDefinition { Id = "env1", Type = SensorType.Bme280, Bus = "i2c-1", Address = 0x76, SampleRate = 1, RetryDelay = TimeSpan.FromSeconds(1), MaxRetryDelay = TimeSpan.FromSeconds(2) },
                new SensorDefinition
                {
                    Id = "adc1",
                    Type = SensorType.Ads1115,
                    Bus = "i2c-1",
                    Address = 0x48,
                    SampleRate = 2,
                    Inputs = new Dictionary<string, AnalogInputDefinition> { ["ain0"] = new() { ShuntOhms = 150, High = 50 } },
                },
            ],
        },
    };

    private sealed class Buses(EmulatedI2cBus bus) : ISensorBuses
    {
        public I2cDevice OpenI2c(int busId, int address) => bus.Open(address);

        public SpiDevice OpenSpi(int busId, int chipSelect, SpiMode mode, int clockFrequency) => throw new NotSupportedException();
    }
}
