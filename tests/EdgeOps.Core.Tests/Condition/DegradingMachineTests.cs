using Xunit.Abstractions;
using EdgeOps.Core.Condition;
using EdgeOps.Core.Condition.Alarms;
using EdgeOps.Core.Condition.Features;
using EdgeOps.Core.Model;
using EdgeOps.Core.Signals;

namespace EdgeOps.Core.Tests.Condition;

/// <summary>
/// A bearing going bad, generated here (the line simulator's degrading machine is checked end to end in the
/// gateway): an accelerometer on a class II machine running at 25 Hz (1500 rpm), healthy at 1.5 mm/s RMS for the
/// first 90 minutes, then amplitude and broadband noise growing exponentially; ten-minute stops every hour.
/// </summary>
public sealed class DegradingMachineTests(ITestOutputHelper output)
{
    private const double Rate = 256;
    private const double Shaft = 25;

    [Fact]
    public void AnomalyScore_RisesAndAlarms_BeforeVibrationCrossesIntoZoneC()
    {
        var definition = new ConditionDefinition
        {
            SampleRate = Rate,
            Window = TimeSpan.FromSeconds(1),
            Input = ConditionInput.Acceleration,
            IsoClass = IsoMachineClass.II,
            Alarms =
            [
                new AlarmDefinition { Name = "anomaly", Feature = "anomaly", Raise = 4, Clear = 2, MinDuration = TimeSpan.FromMinutes(2) },
                new AlarmDefinition { Name = "iso-zone-c", Feature = "velocityRms", Raise = 2.8, Clear = 2.5, Severity = AlarmSeverity.Critical },
            ],
        };
        var monitor = new ConditionMonitor("press-2", "vibration", definition);
        var random = new Random(2026);
        var totalSeconds = 4 * 3600;
        DateTimeOffset? firstZoneC = null;
        var raised = new Dictionary<string, DateTimeOffset>();
        var stoppedScores = 0;

        for (var i = 0; i < totalSeconds * Rate; i++)
        {
            var t = i / Rate;
            var running = t % 3600 < 3000; // a ten-minute stop at the end of every hour
            var growth = t < 5400 ? 1.0 : Math.Exp((t - 5400) / 3600 / 3.0);
            var velocityPeak = 1.5 * Math.Sqrt(2) * growth; // mm/s
            var accelerationPeak = velocityPeak * 2 * Math.PI * Shaft / 1000; // m/s²
            var value = running
                ? (accelerationPeak * Math.Sin(2 * Math.PI * Shaft * t)) + (0.02 * growth * Waves.Gaussian(random))
                : 0.002 * Waves.Gaussian(random);

            if (!monitor.Observe(new Signal(0, value, Waves.At(i, Rate)), running))
            {
                continue;
            }

            var latest = monitor.Latest!;
            if (!latest.Features.Running)
            {
                stoppedScores += latest.AnomalyScore is null ? 0 : 1;
            }

            if (firstZoneC is null && latest.Features.Zone >= IsoZone.C)
            {
                firstZoneC = latest.Features.WindowEnd;
            }

            foreach (var e in monitor.TakeEvents())
            {
                if (e.Transition == AlarmTransition.Raised)
                {
                    raised.TryAdd(e.Alarm, e.At);
                }
            }
        }

        output.WriteLine($"anomaly alarm at {raised.GetValueOrDefault("anomaly") - Waves.T0}, zone C at {firstZoneC - Waves.T0}");
        Assert.Equal(0, stoppedScores);
        Assert.NotNull(firstZoneC);
        Assert.True(raised.ContainsKey("anomaly"), "the anomaly alarm never raised");
        var anomalyAt = raised["anomaly"];
        Assert.True(anomalyAt > Waves.T0.AddSeconds(5400), $"false alarm while healthy at {anomalyAt - Waves.T0}");
        Assert.True(
            anomalyAt.AddMinutes(30) < firstZoneC,
            $"anomaly at {anomalyAt - Waves.T0}, zone C at {firstZoneC - Waves.T0}: want at least 30 min of warning");
        Assert.Equal(firstZoneC, raised["iso-zone-c"]);
    }
}
