using System.Device.Gpio;
using EdgeOps.Core.Model;
using EdgeOps.Core.Signals;
using static EdgeOps.Sources.Tests.Gpio.GpioHarness;

namespace EdgeOps.Sources.Tests.Gpio;

public sealed class PulseCounterTests
{
    [Fact]
    public async Task Pulse_WhenContactBouncesFor5msOn1msGrid_CountsOnePartPerCycle()
    {
        await using var h = new GpioHarness([Pulse(0, 17, debounceMs: 5)]);
        var lastMakeEdges = new List<DateTimeOffset>();
        for (var part = 0; part < 20; part++)
        {
            var t0 = part * 200.0;
            // Make: 5 ms of bounce (edges at 0,1,2,3,4 ms), then closed for 100 ms; break: 5 ms of bounce, then open.
            lastMakeEdges.Add(h.Driver.Bounce(17, Ms(t0), PinValue.High, toggles: 5, TimeSpan.FromMilliseconds(1)));
            h.Driver.Bounce(17, Ms(t0 + 100), PinValue.Low, toggles: 5, TimeSpan.FromMilliseconds(1));
        }

        h.Driver.AdvanceTo(Ms(5000));
        var signals = h.Drain();

        Assert.Equal(200, h.Driver.EdgesRaised);
        Assert.Equal(20, signals.Count);
        Assert.All(signals, s => Assert.Equal(1, s.Value));
        Assert.All(signals, s => Assert.True(s.SourceTimestamped));
        // Each part is stamped with the edge that began the held level: the last edge of its make bounce.
        Assert.Equal(lastMakeEdges, signals.Select(s => s.Timestamp));
        Assert.Equal(20, h.Source.Inputs[0].Pulses);
    }

    [Fact]
    public async Task Pulse_WhenShorterThanMinimumWidth_IsIgnored()
    {
        await using var h = new GpioHarness([Pulse(0, 5, debounceMs: 0, minWidthMs: 2)]);
        var t = 0.0;
        var expected = new List<DateTimeOffset>();
        // 1 ms and 1.9 ms spikes are noise; 2 ms and 3 ms are parts.
        foreach (var width in new[] { 1.0, 3.0, 1.9, 2.0, 0.5, 10.0 })
        {
            h.Driver.Pulse(5, Ms(t), TimeSpan.FromMilliseconds(width), PinValue.High);
            if (width >= 2)
            {
                expected.Add(Ms(t));
            }

            t += 50;
        }

        h.Driver.AdvanceTo(Ms(t + 50));
        var signals = h.Drain();

        Assert.Equal(expected, signals.Select(s => s.Timestamp));
        Assert.Equal(3, h.Source.Inputs[0].Pulses);
    }

    [Fact]
    public async Task Pulse_TenThousandCleanPulsesAt2kHz_AreCountedExactly()
    {
        await using var h = new GpioHarness([Pulse(3, 22, debounceMs: 0.05)]);
        var period = TimeSpan.FromMicroseconds(500);
        for (var i = 0; i < 10_000; i++)
        {
            h.Driver.Pulse(22, Start + (period * i), period / 2, PinValue.High);
        }

        h.Driver.AdvanceTo(Start + (period * 10_001));
        var signals = h.Drain();

        Assert.Equal(10_000, signals.Sum(s => s.Value));
        Assert.Equal(10_000, signals.Count);
        Assert.Equal(Start + (period * 9_999), signals[^1].Timestamp);
        Assert.True(signals.Zip(signals.Skip(1)).All(p => p.First.Timestamp < p.Second.Timestamp), "timestamps must increase");
    }

    [Fact]
    public async Task Pulse_WhenEngineChannelIsFull_LosesNoneAndKeepsOrder()
    {
        // Channel of 8, nobody reading while 10,000 pulses arrive: the outbox accumulates and delivers the rest later.
        await using var h = new GpioHarness([Pulse(1, 20, debounceMs: 0), Level(2, 21, activeLow: false, settleMs: 0)], channelCapacity: 8);
        var period = TimeSpan.FromMicroseconds(500);
        for (var i = 0; i < 10_000; i++)
        {
            h.Driver.Pulse(20, Start + (period * i), period / 2, PinValue.High);
            if (i == 5_000)
            {
                h.Driver.Drive(21, PinValue.High, Start + (period * i) + TimeSpan.FromMicroseconds(300));
            }
        }

        Assert.True(h.Source.Outbox.Queued > 0, "the channel should have been full");
        var received = new List<Signal>();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (received.Where(s => s.Handle == 1).Sum(s => s.Value) < 10_000)
        {
            received.Add(await h.Channel.Reader.ReadAsync(cts.Token));
        }

        Assert.Equal(10_000, received.Where(s => s.Handle == 1).Sum(s => s.Value));
        // Signals leave in the order they were confirmed: the level rose at 2500.3 ms and was believed after its
        // 5 ms debounce (2505.3 ms), so exactly the pulses that began by then (0..5010) precede it.
        var levelIndex = received.FindIndex(s => s.Handle == 2 && s.Value == 1);
        Assert.True(levelIndex > 0);
        var before = received.Take(levelIndex).Where(s => s.Handle == 1).Sum(s => s.Value);
        Assert.Equal(5_011, before);
        Assert.Equal(Start + (period * 5_000) + TimeSpan.FromMicroseconds(300), received[levelIndex].Timestamp);
    }

    [Theory]
    [InlineData(GpioEdge.Rising, 4)]
    [InlineData(GpioEdge.Falling, 4)]
    [InlineData(GpioEdge.Both, 8)]
    public async Task Pulse_CountsOnTheConfiguredEdge(GpioEdge edge, int expected)
    {
        await using var h = new GpioHarness([Pulse(0, 6, edge, debounceMs: 1)]);
        for (var i = 0; i < 4; i++)
        {
            h.Driver.Pulse(6, Ms(i * 20), TimeSpan.FromMilliseconds(10), PinValue.High);
        }

        h.Driver.AdvanceTo(Ms(200));
        var signals = h.Drain();

        Assert.Equal(expected, signals.Sum(s => s.Value));
        var first = edge == GpioEdge.Falling ? Ms(10) : Ms(0);
        Assert.Equal(first, signals[0].Timestamp);
    }

    [Fact]
    public async Task Pulse_ActiveLowSensor_CountsWhenTheWireGoesLow()
    {
        await using var h = new GpioHarness([Pulse(0, 9, GpioEdge.Rising, debounceMs: 1, activeLow: true)], wire: d => d.SetInitialLevel(9, PinValue.High));
        h.Driver.Pulse(9, Ms(10), TimeSpan.FromMilliseconds(20), PinValue.Low);
        h.Driver.AdvanceTo(Ms(100));

        var signals = h.Drain();

        var single = Assert.Single(signals);
        Assert.Equal(Ms(10), single.Timestamp);
    }
}
