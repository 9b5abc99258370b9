using EdgeOps.Core.Signals;

namespace EdgeOps.Sources.Tests.Simulation;

/// <summary>Reads a generated signal stream back as per-signal facts for assertions.</summary>
internal static class SignalStreams
{
    public static List<Signal> Of(this IEnumerable<Signal> signals, SignalCatalog catalog, string machine, string signal)
    {
        var handle = catalog.Resolve(machine, signal);
        return [.. signals.Where(s => s.Handle == handle)];
    }

    /// <summary>Intervals where a boolean or code signal is non-zero: (start, end, value at start).</summary>
    public static List<(DateTimeOffset Start, DateTimeOffset End, double Value)> ActiveIntervals(this IReadOnlyList<Signal> signals, DateTimeOffset end)
    {
        var result = new List<(DateTimeOffset, DateTimeOffset, double)>();
        DateTimeOffset? since = null;
        var value = 0.0;
        foreach (var s in signals)
        {
            if (s.Value != 0 && since is null)
            {
                since = s.Timestamp;
                value = s.Value;
            }
            else if (s.Value == 0 && since is { } start)
            {
                result.Add((start, s.Timestamp, value));
                since = null;
            }
        }

        if (since is { } open)
        {
            result.Add((open, end, value));
        }

        return result;
    }

    /// <summary>The value the signal had at <paramref name="t"/> (its last sample at or before it; 0 before the first).</summary>
    public static double ValueAt(this IReadOnlyList<Signal> signals, DateTimeOffset t) =>
        signals.LastOrDefault(s => s.Timestamp <= t).Value;

    public static double Rms(this IEnumerable<Signal> samples)
    {
        var list = samples.ToList();
        return Math.Sqrt(list.Sum(s => s.Value * s.Value) / list.Count);
    }
}
