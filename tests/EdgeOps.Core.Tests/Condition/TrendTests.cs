using EdgeOps.Core.Condition;
using EdgeOps.Core.Condition.Baseline;
using EdgeOps.Core.Model;
using EdgeOps.Core.Signals;

namespace EdgeOps.Core.Tests.Condition;

public sealed class TrendTests
{
    [Fact]
    public void Trend_OfARisingTemperature_GivesDegreesPerHourAndTimeToThreshold()
    {
        var trend = new TrendEstimator(TimeSpan.FromHours(1), capacity: 61);
        for (var minute = 0; minute <= 120; minute++)
        {
            trend.Add(Waves.T0.AddMinutes(minute), 40 + (3.0 * minute / 60) + (minute % 2 == 0 ? 0.2 : -0.2));
        }

        Assert.Equal(3.0, trend.SlopePerHour!.Value, 0.05);
        Assert.Equal(46.0, trend.Current!.Value, 0.1);
        Assert.Equal(13.0, trend.HoursTo(85)!.Value, 0.3); // (85 − 46) / 3
        Assert.Null(trend.HoursTo(20)); // moving away
        Assert.Equal(61, trend.Count); // only the last hour
    }

    [Fact]
    public void Trend_KeepsOnlyItsWindow_SoAnOldRampDoesNotBendIt()
    {
        var trend = new TrendEstimator(TimeSpan.FromMinutes(30), capacity: 1000);
        for (var minute = 0; minute <= 90; minute++)
        {
            trend.Add(Waves.T0.AddMinutes(minute), minute < 45 ? minute : 45);
        }

        Assert.Equal(0, trend.SlopePerHour!.Value, 1e-9);
        Assert.Null(trend.HoursTo(50));
    }

    [Fact]
    public void Monitor_WithATrend_PublishesSlopeAndHoursToThreshold()
    {
        var definition = new ConditionDefinition
        {
            SampleRate = 1,
            Window = TimeSpan.FromSeconds(10),
            Trend = new TrendDefinition { Feature = "mean", Window = TimeSpan.FromMinutes(30), Threshold = 80 },
            Alarms = [new AlarmDefinition { Name = "overheat-soon", Feature = "hoursToThreshold", Raise = 2, Clear = 3, Severity = AlarmSeverity.Warning }],
        };
        var monitor = new ConditionMonitor("oven", "temperature", definition);

        // 6 °C per hour from 60 °C: 80 °C is reached after 3 h 20 min; the alarm wants less than 2 h to go.
        for (var s = 0; s < 3 * 3600; s++)
        {
            monitor.Observe(new Signal(0, 60 + (6.0 * s / 3600), Waves.T0.AddSeconds(s)), machineRunning: true);
        }

        var latest = monitor.Latest!;
        Assert.Equal(6.0, latest.TrendSlopePerHour!.Value, 0.01);
        Assert.Equal(1 / 3.0, latest.HoursToThreshold!.Value, 0.01);
        var raised = Assert.Single(monitor.TakeEvents());
        Assert.Equal("overheat-soon", raised.Alarm);
        Assert.InRange(raised.At, Waves.T0.AddMinutes(79), Waves.T0.AddMinutes(81)); // 2 h before 3 h 20 min
    }
}
