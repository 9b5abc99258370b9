using EdgeOps.Core.Condition;
using EdgeOps.Core.Condition.Features;
using EdgeOps.Core.Model;
using EdgeOps.Core.Signals;

namespace EdgeOps.Core.Tests.Condition;

/// <summary>Deterministic test signals and helpers to stream them through the condition pipeline.</summary>
internal static class Waves
{
    public static readonly DateTimeOffset T0 = new(2026, 3, 2, 6, 0, 0, TimeSpan.Zero);

    public static DateTimeOffset At(int index, double sampleRate) => T0.AddTicks((long)Math.Round(index * TimeSpan.TicksPerSecond / sampleRate));

    public static double Sine(int index, double sampleRate, double amplitude, double frequency, double phase = 0) =>
        amplitude * Math.Sin((2 * Math.PI * frequency * index / sampleRate) + phase);

    /// <summary>Box–Muller standard normal from a seeded generator.</summary>
    public static double Gaussian(Random random)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    /// <summary>Feeds samples until one window completes and returns its features.</summary>
    public static ConditionFeatures OneWindow(WindowFeatureExtractor extractor, double sampleRate, Func<int, double> sample, int offset = 0)
    {
        for (var i = 0; ; i++)
        {
            var features = extractor.Add(sample(offset + i), At(offset + i, sampleRate));
            if (features is not null)
            {
                return features;
            }
        }
    }

    /// <summary>Feeds a monitor <paramref name="windows"/> whole windows; returns the last snapshot.</summary>
    public static ConditionSnapshot Feed(ConditionMonitor monitor, ConditionDefinition definition, ref int index, int windows, bool running, Func<int, double> sample)
    {
        var perWindow = (int)Math.Round(definition.Window.TotalSeconds * definition.SampleRate);
        for (var n = 0; n < windows * perWindow; n++, index++)
        {
            monitor.Observe(new Signal(0, sample(index), At(index, definition.SampleRate)), running);
        }

        return monitor.Latest!;
    }
}
