using System.Device.Gpio;
using EdgeOps.Core.Model;
using EdgeOps.Core.Signals;
using static EdgeOps.Sources.Tests.Gpio.GpioHarness;

namespace EdgeOps.Sources.Tests.Gpio;

public sealed class LevelInputTests
{
    [Fact]
    public async Task Level_ActiveLowRunningRelay_ReportsRunningWhenWireIsLow()
    {
        // A running contact to ground with the pull-up: wire high = stopped, wire low = running.
        await using var h = new GpioHarness([Level(0, 23, activeLow: true, pull: GpioPull.Up)], wire: d => d.SetInitialLevel(23, PinValue.High));

        var initial = Assert.Single(h.Drain());
        Assert.Equal(0, initial.Value);
        Assert.False(initial.SourceTimestamped);

        h.Driver.Drive(23, PinValue.Low, Ms(1000));
        h.Driver.AdvanceTo(Ms(2000));
        h.Driver.Drive(23, PinValue.High, Ms(5000));
        h.Driver.AdvanceTo(Ms(6000));

        var changes = h.Drain();
        Assert.Equal([(1.0, Ms(1000)), (0.0, Ms(5000))], changes.Select(s => (s.Value, s.Timestamp)));
        Assert.Equal(PinMode.InputPullUp, h.Driver.ModeOf(23));
    }

    [Fact]
    public async Task Level_ActiveHighFaultInput_ReportsFaultWhenWireIsHigh()
    {
        await using var h = new GpioHarness([Level(4, 24, activeLow: false)]);
        h.Drain();

        h.Driver.Drive(24, PinValue.High, Ms(100));
        h.Driver.AdvanceTo(Ms(500));

        var change = Assert.Single(h.Drain());
        Assert.Equal(1, change.Value);
        Assert.Equal(4, change.Handle);
        Assert.True(h.Source.Inputs[0].Level);
    }

    [Fact]
    public async Task Level_ChatterShorterThanSettleTime_IsNotReported()
    {
        await using var h = new GpioHarness([Level(0, 25, activeLow: false, settleMs: 50)]);
        h.Drain();

        // 30 ms on, 30 ms off, 30 ms on again then held: only the held one reports, stamped at its start.
        h.Driver.Drive(25, PinValue.High, Ms(0));
        h.Driver.Drive(25, PinValue.Low, Ms(30));
        h.Driver.Drive(25, PinValue.High, Ms(60));
        h.Driver.AdvanceTo(Ms(109));
        Assert.Empty(h.Drain());

        h.Driver.AdvanceTo(Ms(110));
        var change = Assert.Single(h.Drain());
        Assert.Equal((1.0, Ms(60)), (change.Value, change.Timestamp));
    }

    [Fact]
    public async Task Level_WhenBoardHasNoPullControl_OpensWithoutBiasAndStillReads()
    {
        await using var h = new GpioHarness([Level(0, 2, activeLow: true, settleMs: 0, pull: GpioPull.Up)], pullSupported: false, wire: d => d.SetInitialLevel(2, PinValue.High));

        Assert.Equal(PinMode.Input, h.Driver.ModeOf(2));
        Assert.Equal(0, Assert.Single(h.Drain()).Value);
    }

    [Fact]
    public async Task Heartbeat_WhenNothingChanges_RepeatsLevelsAndSendsZeroPulses()
    {
        await using var h = new GpioHarness([Level(0, 10, activeLow: true), Pulse(1, 11)], wire: d => d.SetInitialLevel(10, PinValue.Low), heartbeat: TimeSpan.FromSeconds(5));
        h.Drain();

        var received = new List<Signal>();
        for (var i = 0; i < 200 && received.Count < 4; i++)
        {
            h.Clock.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(2);
            received.AddRange(h.Drain());
        }

        // Every 5 s: the level as it stands (active: wire low) and a zero increment that counts nothing.
        Assert.Equal([(0, 1.0), (1, 0.0), (0, 1.0), (1, 0.0)], received.Take(4).Select(s => (s.Handle, s.Value)));
        // Not before the first 5 s; the heartbeat loop may register its timer a fake second late on a loaded machine.
        Assert.InRange(received[0].Timestamp, Start.AddSeconds(5), Start.AddSeconds(7));
        Assert.Equal(0, h.Source.Inputs[1].Pulses);
    }

    [Fact]
    public async Task Source_WhenStopped_ClosesItsPins()
    {
        var h = new GpioHarness([Level(0, 7, activeLow: false), Pulse(1, 8)]);
        Assert.True(h.Driver.IsOpen(7));
        await h.DisposeAsync();
        Assert.False(h.Driver.IsOpen(7));
        Assert.False(h.Driver.IsOpen(8));
    }

    [Fact]
    public async Task Source_WhenControllerCannotOpen_MarksInputsBadAndRetries()
    {
        var attempts = 0;
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Start);
        var driver = new EdgeOps.TestSupport.Gpio.VirtualGpioDriver(clock);
        var source = new EdgeOps.Sources.Gpio.GpioSource(
            [Level(0, 3, activeLow: false, settleMs: 0)],
            () => ++attempts == 1 ? throw new EdgeOps.Sources.Gpio.GpioUnavailableException("chip gone") : new GpioController(driver),
            "virtual",
            clock);
        var channel = System.Threading.Channels.Channel.CreateUnbounded<Signal>();
        using var cts = new CancellationTokenSource();
        var run = Task.Run(() => source.RunAsync(channel.Writer, cts.Token));

        var bad = await channel.Reader.ReadAsync(new CancellationTokenSource(TimeSpan.FromSeconds(5)).Token);
        Assert.Equal(SignalQuality.Bad, bad.Quality);
        Assert.False(source.IsConnected);

        // The retry waits on the injected clock.
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (!source.IsConnected && DateTime.UtcNow < deadline)
        {
            clock.Advance(TimeSpan.FromMilliseconds(500));
            await Task.Delay(5);
        }

        Assert.True(source.IsConnected);
        Assert.Equal(2, attempts);
        await cts.CancelAsync();
        await run;
        source.Dispose();
    }
}
