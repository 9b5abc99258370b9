using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using EdgeOps.Core.Condition;
using EdgeOps.Core.Condition.Features;
using EdgeOps.Core.Model;
using EdgeOps.Core.Signals;

namespace EdgeOps.Benchmarks.Condition;

/// <summary>
/// One operation = one 1 s window of a 1600 S/s accelerometer (1600 samples), so "Mean" is the cost of a
/// window and "Allocated" the bytes per window; samples per second per core = 1600 / Mean.
/// Issue 7 target: 50 accelerometers × 1600 S/s = 80 000 samples/s on one core, i.e. a window under 20 ms.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(ShortInProcess))]
public class ConditionPipelineBenchmarks
{
    private const double Rate = 1600;
    private const int Windows = 8;
    private Signal[] _signals = [];
    private int _next;
    private TimeSpan _lap; // the recorded signal is replayed in laps; time keeps moving forward
    private WindowFeatureExtractor _features = null!;
    private WindowFeatureExtractor _featuresWithBands = null!;
    private ConditionMonitor _monitor = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        _signals = new Signal[(int)Rate * Windows];
        for (var i = 0; i < _signals.Length; i++)
        {
            var t = i / Rate;
            var value = 9.81 + (0.5 * Math.Sin(2 * Math.PI * 25 * t)) + (0.1 * Math.Sin(2 * Math.PI * 173 * t)) + (0.05 * (random.NextDouble() - 0.5));
            _signals[i] = new Signal(0, value, start.AddTicks((long)(i * TimeSpan.TicksPerSecond / Rate)));
        }

        var plain = new ConditionDefinition { SampleRate = Rate, Input = ConditionInput.Acceleration, IsoClass = IsoMachineClass.II };
        var bands = plain with
        {
            Bands =
            [
                new BandDefinition { Name = "1x", LowHz = 20, HighHz = 30 },
                new BandDefinition { Name = "2x", LowHz = 45, HighHz = 55 },
                new BandDefinition { Name = "bearing", LowHz = 150, HighHz = 400 },
            ],
        };
        var full = bands with
        {
            Trend = new TrendDefinition { Feature = "velocityRms", Window = TimeSpan.FromHours(1), Threshold = 7.1 },
            Alarms =
            [
                new AlarmDefinition { Name = "zone-c", Feature = "velocityRms", Raise = 2.8, Clear = 2.5 },
                new AlarmDefinition { Name = "anomaly", Feature = "anomaly", Raise = 4, Clear = 2, MinDuration = TimeSpan.FromMinutes(2) },
                new AlarmDefinition { Name = "shock", Feature = "value", Raise = 50, Clear = 40 },
            ],
        };
        _features = new WindowFeatureExtractor(plain);
        _featuresWithBands = new WindowFeatureExtractor(bands);
        _monitor = new ConditionMonitor("press-1", "vibration", full);
    }

    [Benchmark(Baseline = true, Description = "features + velocity + ISO zone, 1 window")]
    public ConditionFeatures? Features() => FeedExtractor(_features);

    [Benchmark(Description = "… + 3 FFT bands (2048 points), 1 window")]
    public ConditionFeatures? FeaturesWithBands() => FeedExtractor(_featuresWithBands);

    [Benchmark(Description = "ConditionMonitor: bands, 10 baselines, trend, 3 alarms, 1 window")]
    public ConditionSnapshot? Monitor()
    {
        var offset = NextWindow();
        for (var i = 0; i < Rate; i++)
        {
            var s = _signals[offset + i];
            _monitor.Observe(s with { Timestamp = s.Timestamp + _lap }, machineRunning: true);
        }

        _monitor.TryTakePublication(_signals[offset].Timestamp + _lap, out var snapshot);
        return snapshot;
    }

    private ConditionFeatures? FeedExtractor(WindowFeatureExtractor extractor)
    {
        var offset = NextWindow();
        ConditionFeatures? result = null;
        for (var i = 0; i < Rate; i++)
        {
            ref readonly var s = ref _signals[offset + i];
            result = extractor.Add(s.Value, s.Timestamp + _lap) ?? result;
        }

        return result;
    }

    private int NextWindow()
    {
        var offset = _next * (int)Rate;
        _next = (_next + 1) % Windows;
        if (_next == 0)
        {
            _lap += TimeSpan.FromSeconds(Windows);
        }

        return offset;
    }
}

/// <summary>
/// The short job (3 warm-ups, 3 iterations), in process: on the shared 2-core box the out-of-process job's
/// own build of the solution runs past BenchmarkDotNet's 120 s build timeout.
/// </summary>
internal sealed class ShortInProcess : ManualConfig
{
    public ShortInProcess() => AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance));
}
