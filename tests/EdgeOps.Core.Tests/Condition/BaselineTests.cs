using EdgeOps.Core.Condition;
using EdgeOps.Core.Condition.Baseline;
using EdgeOps.Core.Model;

namespace EdgeOps.Core.Tests.Condition;

public sealed class BaselineTests
{
    private static readonly ConditionDefinition Definition = new()
    {
        SampleRate = 200,
        Input = ConditionInput.Acceleration,
        BaselineWarmupWindows = 20,
        BaselineHalfLife = TimeSpan.FromMinutes(10),
    };

    [Fact]
    public void Baseline_DuringWarmup_GivesNoScoreThenTheRunningMeanAndVariance()
    {
        var baseline = new EwmaBaseline(alpha: 0.1, warmup: 4);
        foreach (var x in new[] { 1.0, 2.0, 3.0 })
        {
            baseline.Learn(x);
            Assert.True(double.IsNaN(baseline.Score(10)));
        }

        baseline.Learn(4.0);

        Assert.True(baseline.IsWarm);
        Assert.Equal(2.5, baseline.Mean, 1e-12);
        Assert.Equal(1.25, baseline.Variance, 1e-12);
        Assert.Equal((10 - 2.5) / Math.Sqrt(1.25), baseline.Score(10), 1e-12);
    }

    [Fact]
    public void Baseline_AfterWarmup_ClipsAnOutlierSoItBarelyMoves()
    {
        var baseline = new EwmaBaseline(alpha: 0.1, warmup: 4);
        foreach (var x in new[] { 9.0, 11.0, 9.0, 11.0 })
        {
            baseline.Learn(x);
        }

        baseline.Learn(1000);

        // Clipped at 3 σ (σ = 1): the mean moves by α·3 = 0.3, not by α·990 = 99.
        Assert.Equal(10.3, baseline.Mean, 1e-9);
    }

    [Fact]
    public void HalfLife_GivesTheWeightThatHalvesAnOldObservationInThatTime() =>
        Assert.Equal(0.5, Math.Pow(1 - EwmaBaseline.AlphaForHalfLife(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60)), 60), 1e-12);

    [Fact]
    public void Baseline_WhileTheMachineIsStopped_IsFrozenAndGivesNoScore()
    {
        var monitor = new ConditionMonitor("press-1", "vibration", Definition);
        var random = new Random(11);
        var index = 0;
        Waves.Feed(monitor, Definition, ref index, 40, running: true, i => Waves.Sine(i, 200, 1.0, 30) + (0.05 * Waves.Gaussian(random)));
        var learned = monitor.Checkpoint();

        // Stopped: a run-down with a quite different level must not be learned, nor scored as an anomaly.
        var stopped = Waves.Feed(monitor, Definition, ref index, 30, running: false, i => 0.01 * Waves.Gaussian(random));

        Assert.Null(stopped.AnomalyScore);
        Assert.Equal(40, stopped.BaselineWindows);
        Assert.Equal(learned.Baselines, monitor.Checkpoint().Baselines);

        var resumed = Waves.Feed(monitor, Definition, ref index, 1, running: true, i => Waves.Sine(i, 200, 1.0, 30) + (0.05 * Waves.Gaussian(random)));
        Assert.NotNull(resumed.AnomalyScore);
        Assert.InRange(resumed.AnomalyScore!.Value, 0, 4);
        Assert.Equal(41, resumed.BaselineWindows);
    }

    [Fact]
    public void AnomalyScore_ForAStepInAmplitude_IsLarge()
    {
        var monitor = new ConditionMonitor("press-1", "vibration", Definition);
        var random = new Random(5);
        var index = 0;
        var normal = Waves.Feed(monitor, Definition, ref index, 40, running: true, i => Waves.Sine(i, 200, 1.0, 30) + (0.05 * Waves.Gaussian(random)));

        var worse = Waves.Feed(monitor, Definition, ref index, 1, running: true, i => Waves.Sine(i, 200, 1.5, 30) + (0.05 * Waves.Gaussian(random)));

        Assert.InRange(normal.AnomalyScore!.Value, 0, 5);
        Assert.True(worse.AnomalyScore > 10, $"score {worse.AnomalyScore} on {worse.AnomalyFeature}");
    }

    [Fact]
    public void Checkpoint_RestoredIntoANewMonitor_KeepsTheLearnedBaseline()
    {
        var monitor = new ConditionMonitor("press-1", "vibration", Definition);
        var index = 0;
        Waves.Feed(monitor, Definition, ref index, 25, running: true, i => Waves.Sine(i, 200, 1.0 + (0.001 * (i % 7)), 30));
        var json = System.Text.Json.JsonSerializer.Serialize(monitor.Checkpoint());

        var restarted = new ConditionMonitor("press-1", "vibration", Definition);
        restarted.Restore(System.Text.Json.JsonSerializer.Deserialize<ConditionState>(json)!);
        var next = Waves.Feed(restarted, Definition, ref index, 1, running: true, i => Waves.Sine(i, 200, 1.0, 30));

        Assert.NotNull(next.AnomalyScore);
        Assert.Equal(26, next.BaselineWindows);
    }
}
