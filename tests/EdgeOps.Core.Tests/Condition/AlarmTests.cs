using EdgeOps.Core.Condition;
using EdgeOps.Core.Condition.Alarms;
using EdgeOps.Core.Model;
using EdgeOps.Core.Signals;

namespace EdgeOps.Core.Tests.Condition;

public sealed class AlarmTests
{
    private static AlarmDefinition High(TimeSpan minDuration = default) => new()
    {
        Name = "hot",
        Feature = "value",
        Raise = 80,
        Clear = 75,
        MinDuration = minDuration,
        Severity = AlarmSeverity.Critical,
    };

    [Fact]
    public void ValueDitheringAroundTheThreshold_RaisesOneAlarmNotFifty()
    {
        var alarm = new AlarmEvaluator(High());
        var transitions = new List<AlarmTransition>();

        for (var i = 0; i < 100; i++)
        {
            var value = i % 2 == 0 ? 79.9 : 80.1; // crosses the raise threshold fifty times
            if (alarm.Update(value, Waves.T0.AddSeconds(i)) is { } t)
            {
                transitions.Add(t);
            }
        }

        Assert.Equal([AlarmTransition.Raised], transitions);
        Assert.True(alarm.IsActive);
    }

    [Fact]
    public void Alarm_ClearsOnlyBelowTheClearThreshold()
    {
        var alarm = new AlarmEvaluator(High());
        alarm.Update(85, Waves.T0);

        Assert.Null(alarm.Update(76, Waves.T0.AddSeconds(1)));
        Assert.Null(alarm.Update(79, Waves.T0.AddSeconds(2)));
        Assert.Equal(AlarmTransition.Cleared, alarm.Update(75, Waves.T0.AddSeconds(3)));
        Assert.False(alarm.IsActive);
    }

    [Fact]
    public void Alarm_WithAMinimumDuration_IgnoresShortExcursionsAndRaisesOnALongOne()
    {
        var alarm = new AlarmEvaluator(High(TimeSpan.FromSeconds(10)));

        for (var s = 0; s < 9; s++)
        {
            Assert.Null(alarm.Update(90, Waves.T0.AddSeconds(s)));
        }

        Assert.Null(alarm.Update(70, Waves.T0.AddSeconds(9)));
        for (var s = 10; s < 20; s++)
        {
            Assert.Null(alarm.Update(90, Waves.T0.AddSeconds(s)));
        }

        Assert.Equal(AlarmTransition.Raised, alarm.Update(90, Waves.T0.AddSeconds(20)));
        Assert.Equal(Waves.T0.AddSeconds(20), alarm.RaisedAt);
    }

    [Fact]
    public void LowAlarm_RaisesBelowAndClearsAbove()
    {
        var alarm = new AlarmEvaluator(new AlarmDefinition { Name = "low-pressure", Feature = "mean", Raise = 2, Clear = 2.5 });

        Assert.Null(alarm.Update(2.2, Waves.T0));
        Assert.Equal(AlarmTransition.Raised, alarm.Update(1.9, Waves.T0.AddSeconds(1)));
        Assert.Null(alarm.Update(2.4, Waves.T0.AddSeconds(2)));
        Assert.Equal(AlarmTransition.Cleared, alarm.Update(2.6, Waves.T0.AddSeconds(3)));
    }

    [Fact]
    public void Alarm_WithEqualThresholds_IsRefusedNamingIt()
    {
        var error = Assert.Throws<ArgumentException>(() => new AlarmEvaluator(new AlarmDefinition { Name = "x", Feature = "rms", Raise = 5, Clear = 5 }, "condition.alarms[2]"));

        Assert.Contains("condition.alarms[2] 'x'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Monitor_WithAnUnknownAlarmFeature_FailsNamingTheKeyPath()
    {
        var definition = new ConditionDefinition
        {
            SampleRate = 10,
            Alarms = [new AlarmDefinition { Name = "a", Feature = "rms", Raise = 1, Clear = 0.5 }, new AlarmDefinition { Name = "b", Feature = "rsm", Raise = 1, Clear = 0.5 }],
        };

        var error = Assert.Throws<ArgumentException>(() => new ConditionMonitor("m", "s", definition));

        Assert.Contains("condition.alarms[1].feature", error.Message, StringComparison.Ordinal);
        Assert.Contains("'rsm'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Monitor_ValueAlarm_PublishesRaiseAndClearEventsAndTheCurrentAlarms()
    {
        var definition = new ConditionDefinition { SampleRate = 1, Window = TimeSpan.FromSeconds(10), Alarms = [High()] };
        var monitor = new ConditionMonitor("oven", "temperature", definition);
        double[] values = [70, 79, 81, 79, 81, 76, 74, 70];

        var events = new List<AlarmEvent>();
        IReadOnlyList<ActiveAlarm>? whileRaised = null;
        for (var i = 0; i < values.Length; i++)
        {
            monitor.Observe(new Signal(0, values[i], Waves.T0.AddSeconds(i)), machineRunning: true);
            events.AddRange(monitor.TakeEvents());
            if (i == 4)
            {
                whileRaised = monitor.ActiveAlarms;
            }
        }

        Assert.Collection(
            events,
            e =>
            {
                Assert.Equal(AlarmTransition.Raised, e.Transition);
                Assert.Equal(81, e.Value);
                Assert.Equal(80, e.Threshold);
                Assert.Equal(Waves.T0.AddSeconds(2), e.At);
                Assert.Equal(AlarmSeverity.Critical, e.Severity);
                Assert.Equal("oven", e.Machine);
            },
            e =>
            {
                Assert.Equal(AlarmTransition.Cleared, e.Transition);
                Assert.Equal(Waves.T0.AddSeconds(6), e.At);
                Assert.Equal(Waves.T0.AddSeconds(2), e.RaisedAt);
            });
        var active = Assert.Single(whileRaised!);
        Assert.Equal("hot", active.Alarm);
        Assert.Equal(Waves.T0.AddSeconds(2), active.Since);
        Assert.Empty(monitor.ActiveAlarms);
        Assert.Empty(monitor.TakeEvents());
    }

    [Fact]
    public void Monitor_BandAlarm_RaisesWhenATonePassesIntoTheBand()
    {
        var definition = new ConditionDefinition
        {
            SampleRate = 800,
            Bands = [new BandDefinition { Name = "bearing", LowHz = 150, HighHz = 250 }],
            Alarms = [new AlarmDefinition { Name = "bearing-tone", Feature = "band:bearing", Raise = 0.1, Clear = 0.05 }],
        };
        var monitor = new ConditionMonitor("press-1", "vibration", definition);
        var index = 0;

        Waves.Feed(monitor, definition, ref index, 3, running: true, i => Waves.Sine(i, 800, 1, 50));
        Assert.Empty(monitor.TakeEvents());
        Waves.Feed(monitor, definition, ref index, 1, running: true, i => Waves.Sine(i, 800, 1, 50) + Waves.Sine(i, 800, 0.6, 190));

        var raised = Assert.Single(monitor.TakeEvents());
        Assert.Equal(0.18, raised.Value, 0.01); // 0.6² / 2
        Assert.Equal("band:bearing", raised.Feature);
    }

    [Fact]
    public void Monitor_WithATrendOnTheRawValue_FailsNamingTheKey()
    {
        var definition = new ConditionDefinition { SampleRate = 1, Window = TimeSpan.FromSeconds(10), Trend = new TrendDefinition { Feature = "value" } };

        var error = Assert.Throws<ArgumentException>(() => new ConditionMonitor("m", "s", definition));

        Assert.Contains("condition.trend.feature", error.Message, StringComparison.Ordinal);
    }
}
