using BenchmarkDotNet.Attributes;
using EdgeOps.Core.Engine;
using EdgeOps.Core.Model;
using EdgeOps.Core.Signals;

namespace EdgeOps.Benchmarks.Engine;

/// <summary>
/// Signals through <see cref="LineEngine.Process"/> on one thread: each benchmark op is <see cref="Batch"/> signals,
/// so the reported time and allocation divide by the batch (BenchmarkDotNet's OperationsPerInvoke): the Mean column
/// is ns per signal (signals/s per core = 1e9 / Mean) and Allocated is bytes per signal.
/// Timestamps advance 1 µs per signal (a 24 h shift, so no shift close inside a run); state and count values are the
/// steady path (a repeated state value; a count of 1), which is what a busy line sends almost all the time.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(EngineBenchmarkConfig))]
public class EngineBenchmarks
{
    private const int Batch = 10_000;
    private const int Machines = 5;

    private LineEngine _engine = null!;
    private int[] _count = null!;
    private int[] _totalizer = null!;
    private int[] _running = null!;
    private int[] _analog = null!;
    private long _ticks;
    private long _totalizerValue;

    [GlobalSetup]
    public void Setup()
    {
        var machines = Enumerable.Range(0, Machines).Select(i => new MachineDefinition
        {
            Id = $"m{i}",
            IdealCycleTime = TimeSpan.FromSeconds(1),
            Signals =
            [
                new SignalDefinition { Name = "running", Role = SignalRole.Running },
                new SignalDefinition { Name = "fault", Role = SignalRole.Fault },
                new SignalDefinition { Name = "count", Role = SignalRole.Total },
                new SignalDefinition { Name = "counter", Role = SignalRole.Good, CountMode = CountMode.Totalizer },
                new SignalDefinition { Name = "vibration", Role = SignalRole.Analog },
            ],
        }).ToArray();
        var line = new LineDefinition
        {
            Site = "bench",
            Area = "a",
            Line = "l",
            TimeZone = "Etc/UTC",
            Shifts = [new ShiftDefinition { Name = "day", Start = new TimeOnly(0, 0), End = new TimeOnly(0, 0), Days = Enum.GetValues<DayOfWeek>() }],
            Machines = machines,
        };
        var catalog = new SignalCatalog(line);
        var start = new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero);
        _engine = new LineEngine(catalog, start);
        _ticks = start.UtcTicks;
        _count = Handles(catalog, "count");
        _totalizer = Handles(catalog, "counter");
        _running = Handles(catalog, "running");
        _analog = Handles(catalog, "vibration");
        for (var m = 0; m < Machines; m++)
        {
            _engine.Process(new Signal(_running[m], 1, start));
            _engine.Process(new Signal(_totalizer[m], 0, start));
        }

        _engine.DrainEvents(new List<EdgeOps.Core.Engine.Events.EngineEvent>());
    }

    private static int[] Handles(SignalCatalog catalog, string name) =>
        [.. Enumerable.Range(0, Machines).Select(m => catalog.Resolve($"m{m}", name))];

    [Benchmark(OperationsPerInvoke = Batch)]
    public void PulseCount() => Run(_count, 1);

    [Benchmark(OperationsPerInvoke = Batch)]
    public void TotalizerCount()
    {
        var engine = _engine;
        for (var i = 0; i < Batch; i++)
        {
            var m = i % Machines;
            if (m == 0)
            {
                _totalizerValue++;
            }

            _ticks += 10;
            engine.Process(new Signal(_totalizer[m], _totalizerValue, new DateTimeOffset(_ticks, TimeSpan.Zero)));
        }
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public void StateRepeated() => Run(_running, 1);

    [Benchmark(OperationsPerInvoke = Batch)]
    public void Analog() => Run(_analog, 3.7);

    private void Run(int[] handles, double value)
    {
        var engine = _engine;
        var ticks = _ticks;
        for (var i = 0; i < Batch; i++)
        {
            ticks += 10;
            engine.Process(new Signal(handles[i % Machines], value, new DateTimeOffset(ticks, TimeSpan.Zero)));
        }

        _ticks = ticks;
    }
}
