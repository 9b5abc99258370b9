using System.Device.Gpio;
using System.Threading.Channels;
using EdgeOps.Core.Engine;
using EdgeOps.Core.Model;
using EdgeOps.Core.Signals;
using EdgeOps.Gateway.Configuration;
using EdgeOps.Gateway.Configuration.Bindings;
using EdgeOps.TestSupport;
using EdgeOps.TestSupport.Gpio;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace EdgeOps.Gateway.Tests.Gpio;

/// <summary>
/// The shipped retrofit line, its GPIO and sensor sources built by the host wiring over the virtual driver and
/// emulated chips, and the real engine: wire-level pulses and levels become counts and states.
/// </summary>
public sealed class GpioEndToEndTests
{
    // Monday 07:00 in Berlin: the early shift.
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 6, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task VirtualPulsesOnThePartAndRejectPins_ChangeTheMachinesCountsAndState()
    {
        var rig = new RetrofitRig(Start);
        var (catalog, clock, driver, sources) = (rig.Catalog, rig.Clock, rig.Driver, rig.Sources);
        Assert.Equal(["gpio", "sensors"], sources.Select(s => s.Name));
        var channel = Channel.CreateBounded<Signal>(1024);
        using var cts = new CancellationTokenSource();
        var runs = sources.Select(s => Task.Run(() => s.RunAsync(channel.Writer, cts.Token))).ToList();
        var engine = new LineEngine(catalog, Start);
        engine.TryGetMachineIndex("lathe", out var lathe);
        var processed = new List<Signal>();
        await WaitFor(() => sources.All(s => s.IsConnected));

        // The CNC reports running (relay closes: wire low), then makes 10 parts, 2 of which go down the reject chute.
        driver.Drive(22, PinValue.Low, Start.AddSeconds(1));
        for (var i = 0; i < 10; i++)
        {
            var t = Start.AddSeconds(5 + (i * 45));
            driver.Bounce(17, t, PinValue.Low, toggles: 5, TimeSpan.FromMilliseconds(1));
            driver.Drive(17, PinValue.High, t.AddMilliseconds(300));
            if (i is 3 or 7)
            {
                driver.Pulse(27, t.AddSeconds(20), TimeSpan.FromMilliseconds(150), PinValue.Low);
            }

            await Pump(t.AddSeconds(44));
        }

        var running = engine.GetMachineSnapshot(lathe, engine.Now);
        Assert.Equal(StateCategory.Running, running.State);
        Assert.Equal(10, running.ShiftCounts.Total);
        Assert.Equal(2, running.ShiftCounts.Reject);
        Assert.Equal(8, running.ShiftCounts.Good);

        // The fault relay closes: the machine is Down from the fault's edge; the sensors kept feeding analog values.
        var faultAt = engine.Now.AddSeconds(1);
        driver.Drive(23, PinValue.Low, faultAt);
        await Pump(faultAt.AddSeconds(5));
        var down = engine.GetMachineSnapshot(lathe, engine.Now);
        Assert.Equal(StateCategory.Down, down.State);
        Assert.Equal(faultAt, down.StateSince);
        Assert.Equal(10, down.ShiftCounts.Total);
        var temperature = catalog.Resolve("lathe", "cabinet-temp");
        Assert.Contains(processed, s => s.Handle == temperature && s.Quality == SignalQuality.Good && Math.Abs(s.Value - 25.08) < 0.01);
        var current = catalog.Resolve("lathe", "spindle-current");
        Assert.Contains(processed, s => s.Handle == current && Math.Abs(s.Value - 25.0) < 0.01);

        // The operator presses "chip jam" on the button box (a bouncing contact to ground): the fault stop gets that
        // reason, once, with the button as who.
        var pressAt = engine.Now.AddSeconds(2);
        driver.Bounce(16, pressAt, PinValue.Low, toggles: 3, TimeSpan.FromMilliseconds(2));
        driver.Drive(16, PinValue.High, pressAt.AddMilliseconds(250));
        await Pump(pressAt.AddSeconds(3));
        var explained = engine.GetMachineSnapshot(lathe, engine.Now);
        Assert.Equal((StateCategory.Down, "chip-jam"), (explained.State, explained.ReasonCode));
        var button = catalog.Resolve("lathe", "btn-chip-jam");
        Assert.Single(processed, s => s.Handle == button && s.Value > 0);

        await cts.CancelAsync();
        await Task.WhenAll(runs);

        async Task Pump(DateTimeOffset until)
        {
            while (clock.GetUtcNow() < until)
            {
                var next = clock.GetUtcNow().AddSeconds(1);
                driver.AdvanceTo(next < until ? next : until);
                await Task.Delay(1);
                Drain();
            }

            await Task.Delay(5);
            Drain();
            engine.Advance(clock.GetUtcNow());
        }

        void Drain()
        {
            while (channel.Reader.TryRead(out var s))
            {
                processed.Add(s);
                engine.Process(s);
            }
        }

        async Task WaitFor(Func<bool> condition)
        {
            for (var i = 0; i < 500 && !condition(); i++)
            {
                await Task.Delay(10);
                Drain();
            }

            Assert.True(condition(), "sources did not connect");
        }
    }
}
