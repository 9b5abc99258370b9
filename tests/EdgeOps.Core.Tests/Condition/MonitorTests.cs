using EdgeOps.Core.Condition;
using EdgeOps.Core.Model;
using EdgeOps.Core.Signals;

namespace EdgeOps.Core.Tests.Condition;

public sealed class MonitorTests
{
    [Fact]
    public void Publication_IsRateLimitedToTheConfiguredInterval()
    {
        var definition = new ConditionDefinition { SampleRate = 10, Window = TimeSpan.FromSeconds(1), PublishInterval = TimeSpan.FromSeconds(5) };
        var monitor = new ConditionMonitor("m", "s", definition);
        var published = new List<ConditionSnapshot>();

        for (var i = 0; i < 200; i++)
        {
            var at = Waves.At(i, 10);
            monitor.Observe(new Signal(0, i % 4, at), machineRunning: true);
            if (monitor.TryTakePublication(at, out var snapshot))
            {
                published.Add(snapshot);
            }
        }

        Assert.Equal(20, monitor.WindowsCompleted);
        Assert.Equal(4, published.Count); // t = 0.9 s, 5.9 s, 10.9 s, 15.9 s
        Assert.Equal(TimeSpan.FromSeconds(5), published[1].Features.WindowEnd - published[0].Features.WindowEnd);
        Assert.Equal(Waves.At(159, 10), published[^1].Features.WindowEnd);
    }

    [Fact]
    public void Publication_WithoutInterval_GivesEachWindowOnce()
    {
        var definition = new ConditionDefinition { SampleRate = 10 };
        var monitor = new ConditionMonitor("m", "s", definition);
        var count = 0;

        for (var i = 0; i < 50; i++)
        {
            monitor.Observe(new Signal(0, i, Waves.At(i, 10)), machineRunning: true);
            if (monitor.TryTakePublication(Waves.At(i, 10), out _))
            {
                count++;
            }
        }

        Assert.Equal(5, count);
        Assert.False(monitor.TryTakePublication(Waves.At(51, 10), out _));
    }

    [Fact]
    public void BadQualitySample_DiscardsThePartialWindow()
    {
        var monitor = new ConditionMonitor("m", "s", new ConditionDefinition { SampleRate = 10 });

        for (var i = 0; i < 5; i++)
        {
            monitor.Observe(new Signal(0, 1000, Waves.At(i, 10)), machineRunning: true);
        }

        monitor.Observe(new Signal(0, 0, Waves.At(5, 10), SignalQuality.Bad), machineRunning: true);
        for (var i = 6; i < 16; i++)
        {
            monitor.Observe(new Signal(0, 1, Waves.At(i, 10)), machineRunning: true);
        }

        Assert.Equal(5, monitor.SamplesDiscarded);
        Assert.Equal(1, monitor.WindowsCompleted);
        Assert.Equal(1.0, monitor.Latest!.Features.Mean);
    }

    [Fact]
    public void For_ASignalWithoutConditionSection_FailsNamingTheSignal()
    {
        var machine = new MachineDefinition
        {
            Id = "press-1",
            IdealCycleTime = TimeSpan.FromSeconds(2),
            Signals = [new SignalDefinition { Name = "temp", Role = SignalRole.Analog }],
        };
        var catalog = new SignalCatalog(new LineDefinition { Site = "s", Area = "a", Line = "l", TimeZone = "UTC", Shifts = [], Machines = [machine] });

        var error = Assert.Throws<ArgumentException>(() => ConditionMonitor.For(catalog[0]));

        Assert.Contains("press-1/temp", error.Message, StringComparison.Ordinal);
    }
}
