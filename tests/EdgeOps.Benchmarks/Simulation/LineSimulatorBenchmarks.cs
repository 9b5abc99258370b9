using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using EdgeOps.Core.Model;
using EdgeOps.Core.Signals;
using EdgeOps.Sources.Simulation;

namespace EdgeOps.Benchmarks.Simulation;

/// <summary>
/// How fast the simulator model produces an 8 h shift of a three-machine line (the demo line's shape):
/// the ceiling for "a whole shift in seconds" and for feeding engine benchmarks.
/// Run: dotnet run -c Release --project tests/EdgeOps.Benchmarks -- --filter '*LineSimulator*'
/// </summary>
[Config(typeof(ShortInProcess))]
[MemoryDiagnoser]
public class LineSimulatorBenchmarks
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 5, 0, 0, TimeSpan.Zero);
    private LineSimulator _simulator = null!;

    /// <summary>3600: analog sampled every 180 s (signals are mostly counts and states); 60: every 3 s.</summary>
    [Params(3600, 60)]
    public double Speed { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var everyDay = Enum.GetValues<DayOfWeek>();
        var line = new LineDefinition
        {
            Site = "plant",
            Area = "area",
            Line = "line-1",
            TimeZone = "Europe/Berlin",
            Shifts = [new ShiftDefinition { Name = "early", Start = new TimeOnly(6, 0), End = new TimeOnly(14, 0), Days = everyDay,
                Breaks = [new BreakDefinition { Name = "lunch", Start = new TimeOnly(11, 30), End = new TimeOnly(12, 0) }] }],
            Machines =
            [
                Machine("press", 2.0, true),
                Machine("welder", 2.4, false),
                Machine("packer", 1.8, false),
            ],
            Sources = new SourcesDefinition { Simulator = new SimulatorDefinition { Seed = 42, Speed = Speed, DegradingMachine = "press" } },
        };
        _simulator = new LineSimulator(new SignalCatalog(line), TimeProvider.System, Start);
    }

    [Benchmark]
    public int EightHourShift()
    {
        var count = 0;
        foreach (var _ in _simulator.Generate(Start, Start.AddHours(8)))
        {
            count++;
        }

        return count;
    }

    /// <summary>
    /// The short job, in process: on the shared CI box BenchmarkDotNet's out-of-process build of the generated
    /// project ran past its 120 s timeout.
    /// </summary>
    private sealed class ShortInProcess : ManualConfig
    {
        public ShortInProcess() => AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance));
    }

    private static MachineDefinition Machine(string id, double cycle, bool analog) => new()
    {
        Id = id,
        IdealCycleTime = TimeSpan.FromSeconds(cycle),
        FaultCodes = new Dictionary<long, string> { [1] = "jam", [2] = "tool-change" },
        Signals =
        [
            new SignalDefinition { Name = "total", Role = SignalRole.Total },
            new SignalDefinition { Name = "reject", Role = SignalRole.Reject },
            new SignalDefinition { Name = "running", Role = SignalRole.Running },
            new SignalDefinition { Name = "fault", Role = SignalRole.Fault },
            new SignalDefinition { Name = "starved", Role = SignalRole.Starved },
            new SignalDefinition { Name = "blocked", Role = SignalRole.Blocked },
            .. analog
                ? new[]
                {
                    new SignalDefinition { Name = "vibration", Role = SignalRole.Analog, Kind = "vibration", Unit = "mm/s" },
                    new SignalDefinition { Name = "temperature", Role = SignalRole.Analog, Kind = "temperature", Unit = "°C" },
                }
                : [],
        ],
    };
}
