using System.Threading.Channels;
using EdgeOps.Core.Model;
using EdgeOps.Core.Signals;
using EdgeOps.Sources.Simulation;

namespace EdgeOps.Sources.Tests.Simulation;

public sealed class LineSimulatorTests
{
    private static readonly DateTimeOffset Start = TestLines.MondayEarlyShift;

    [Fact]
    public void Generate_SameSeed_GivesTheIdenticalSequence()
    {
        var settings = new SimulatorDefinition { Seed = 42, Speed = 60 };

        var first = TestLines.Simulator(TestLines.Line(settings)).Generate(Start, Start.AddHours(2)).ToList();
        var second = TestLines.Simulator(TestLines.Line(settings)).Generate(Start, Start.AddHours(2)).ToList();

        Assert.True(first.Count > 5000, $"only {first.Count} signals in two hours");
        Assert.Equal(first, second);
    }

    [Fact]
    public void Generate_DifferentSeeds_GiveDifferentSequences()
    {
        var a = TestLines.Simulator(TestLines.Line(new SimulatorDefinition { Seed = 1, Speed = 60 })).Generate(Start, Start.AddHours(1)).ToList();
        var b = TestLines.Simulator(TestLines.Line(new SimulatorDefinition { Seed = 2, Speed = 60 })).Generate(Start, Start.AddHours(1)).ToList();

        Assert.NotEqual(a, b);
    }

    [Fact]
    public void Generate_TimestampsNeverGoBackwards_AndStayInTheRange()
    {
        var signals = TestLines.Simulator(TestLines.Line(new SimulatorDefinition { Speed = 60 })).Generate(Start, Start.AddHours(1)).ToList();

        Assert.All(signals.Zip(signals.Skip(1)), pair => Assert.True(pair.First.Timestamp <= pair.Second.Timestamp));
        Assert.All(signals, s => Assert.InRange(s.Timestamp, Start, Start.AddHours(1).AddTicks(-1)));
        Assert.All(signals, s => Assert.True(s.SourceTimestamped && s.Quality == SignalQuality.Good));
    }

    [Fact]
    public void Generate_OverALongRun_RejectShareMatchesTheRate()
    {
        var simulator = TestLines.Simulator(TestLines.Line(new SimulatorDefinition { Seed = 7, Speed = 3600, RejectRate = 0.05 }));
        var signals = simulator.Generate(Start, Start.AddHours(24)).ToList();

        var strokes = signals.Of(simulator.Catalog, "press", "strokes").Count;
        var scrap = signals.Of(simulator.Catalog, "press", "scrap").Count;
        var packed = signals.Of(simulator.Catalog, "packer", "packed").Count;
        var packerRejects = signals.Of(simulator.Catalog, "packer", "rejects").Count;

        Assert.True(strokes > 20_000, $"{strokes} strokes in 24 h");
        Assert.InRange((double)scrap / strokes, 0.04, 0.06);
        Assert.InRange((double)packerRejects / (packed + packerRejects), 0.04, 0.06);
    }

    [Fact]
    public void Generate_Faults_CarryConfiguredCodesAndClearAfterARepairTime()
    {
        var settings = new SimulatorDefinition { Seed = 3, Speed = 3600, MeanTimeBetweenFaults = TimeSpan.FromMinutes(20), MeanRepairTime = TimeSpan.FromMinutes(3) };
        var simulator = TestLines.Simulator(TestLines.Line(settings));
        var end = Start.AddHours(12);

        var faults = simulator.Generate(Start, end).ToList().Of(simulator.Catalog, "press", "fault").ActiveIntervals(end);

        Assert.True(faults.Count >= 10, $"{faults.Count} faults in 12 h with a 20 min MTBF");
        Assert.All(faults, f => Assert.Contains((long)f.Value, new long[] { 101, 102, 103 }));
        Assert.True(faults.Select(f => f.Value).Distinct().Count() > 1, "all faults had the same code");
        var repairs = faults.Where(f => f.End < end).Select(f => f.End - f.Start).ToList();
        Assert.All(repairs, r => Assert.InRange(r, TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(18)));
        Assert.InRange(repairs.Average(r => r.TotalMinutes), 1.5, 6);
    }

    [Fact]
    public void Generate_DuringBreaks_NoPartsAreProducedAndPlannedStopIsSet()
    {
        var shifts = new List<ShiftDefinition>
        {
            new()
            {
                Name = "early", Start = new TimeOnly(6, 0), End = new TimeOnly(14, 0), Days = TestLines.EveryDay,
                Breaks = [new() { Name = "lunch", Start = new TimeOnly(11, 30), End = new TimeOnly(12, 0) }],
            },
        };
        var simulator = TestLines.Simulator(TestLines.Line(new SimulatorDefinition { Speed = 3600 }, shifts));
        var signals = simulator.Generate(Start, Start.AddHours(10)).ToList();
        // 11:30 Berlin (UTC+1 in March before DST) = 10:30 UTC.
        var lunchStart = Start.AddHours(5.5);
        var lunchEnd = Start.AddHours(6);
        var shiftEnd = Start.AddHours(8);
        var countHandles = simulator.Catalog.All.Where(i => i.Definition.Role is SignalRole.Total or SignalRole.Good or SignalRole.Reject)
            .Select(i => i.Handle).ToHashSet();
        var parts = signals.Where(s => countHandles.Contains(s.Handle)).ToList();

        Assert.DoesNotContain(parts, p => p.Timestamp >= lunchStart && p.Timestamp < lunchEnd);
        Assert.DoesNotContain(parts, p => p.Timestamp >= shiftEnd);
        Assert.Contains(parts, p => p.Timestamp < lunchStart);
        Assert.Contains(parts, p => p.Timestamp >= lunchEnd && p.Timestamp < shiftEnd);
        var plannedStops = signals.Of(simulator.Catalog, "packer", "break").ActiveIntervals(Start.AddHours(10));
        Assert.Contains((lunchStart, lunchEnd, 1.0), plannedStops);
        var running = signals.Of(simulator.Catalog, "press", "running");
        Assert.Equal(0, running.Last(s => s.Timestamp <= lunchStart).Value);
    }

    [Fact]
    public void Generate_WhenTheWelderIsDown_PackerStarvesAndPressBlocks()
    {
        var settings = new SimulatorDefinition { Seed = 5, Speed = 3600, MeanTimeBetweenFaults = TimeSpan.FromMinutes(30), MeanRepairTime = TimeSpan.FromMinutes(5), BufferSize = 5 };
        var simulator = TestLines.Simulator(TestLines.Line(settings));
        var end = Start.AddHours(12);
        var signals = simulator.Generate(Start, end).ToList();

        var welderDown = signals.Of(simulator.Catalog, "welder", "fault").ActiveIntervals(end).Where(f => f.End - f.Start > TimeSpan.FromMinutes(1)).ToList();
        var packerStarved = signals.Of(simulator.Catalog, "packer", "starved");
        var pressBlocked = signals.Of(simulator.Catalog, "press", "blocked");
        var packerFault = signals.Of(simulator.Catalog, "packer", "fault");
        var pressFault = signals.Of(simulator.Catalog, "press", "fault");

        Assert.True(welderDown.Count >= 5, $"{welderDown.Count} long welder stops");
        // A buffer of 5 parts lasts ~10 s; late in a stop longer than a minute both neighbours must show it
        // (unless they happen to be down themselves).
        foreach (var (downStart, downEnd, _) in welderDown)
        {
            var late = downEnd.AddSeconds(-1);
            Assert.True(packerStarved.ValueAt(late) == 1 || packerFault.ValueAt(late) != 0, $"packer not starved at {late:O}");
            Assert.True(pressBlocked.ValueAt(late) == 1 || pressFault.ValueAt(late) != 0, $"press not blocked at {late:O}");
        }

        // A long starvation has a cause upstream (a reject upstream leaves only a gap of a few seconds).
        var starvedIntervals = packerStarved.ActiveIntervals(end).Where(s => s.End - s.Start > TimeSpan.FromSeconds(30)).ToList();
        Assert.NotEmpty(starvedIntervals);
        Assert.All(starvedIntervals, s => Assert.True(
            welderDown.Any(d => s.Start >= d.Start && s.Start <= d.End)
            || signals.Of(simulator.Catalog, "welder", "fault").ValueAt(s.Start) != 0
            || signals.Of(simulator.Catalog, "welder", "starved").ValueAt(s.Start) == 1
            || pressFault.ValueAt(s.Start) != 0,
            $"packer starved at {s.Start:O} with the welder running"));
    }

    [Fact]
    public void Generate_DegradingMachine_VibrationRmsAndTemperatureRiseOverHours()
    {
        var settings = new SimulatorDefinition { Seed = 11, Speed = 60, DegradingMachine = "press", MeanTimeBetweenFaults = TimeSpan.FromHours(100) };
        var simulator = TestLines.Simulator(TestLines.Line(settings));
        var signals = simulator.Generate(Start, Start.AddHours(8)).ToList();

        double RmsIn(string machine, int hour) => signals.Of(simulator.Catalog, machine, "vibration")
            .Where(s => s.Timestamp >= Start.AddHours(hour) && s.Timestamp < Start.AddHours(hour + 1)).Rms();
        double MeanTemperature(int hour) => signals.Of(simulator.Catalog, "press", "bearing-temp")
            .Where(s => s.Timestamp >= Start.AddHours(hour) && s.Timestamp < Start.AddHours(hour + 1)).Average(s => s.Value);

        Assert.True(RmsIn("press", 7) > 1.8 * RmsIn("press", 0), $"press RMS {RmsIn("press", 0):F2} → {RmsIn("press", 7):F2}");
        Assert.InRange(RmsIn("welder", 7) / RmsIn("welder", 1), 0.8, 1.25);
        Assert.True(MeanTemperature(7) > MeanTemperature(1) + 5, $"temperature {MeanTemperature(1):F1} → {MeanTemperature(7):F1}");
    }

    [Fact]
    public void Generate_AnalogSampling_IsDecimatedAtHighSpeed()
    {
        var slow = TestLines.Simulator(TestLines.Line(new SimulatorDefinition { Speed = 1 }));
        var fast = TestLines.Simulator(TestLines.Line(new SimulatorDefinition { Speed = 600 }));

        var slowSamples = slow.Generate(Start, Start.AddMinutes(1)).ToList().Of(slow.Catalog, "press", "vibration").Count;
        var fastSamples = fast.Generate(Start, Start.AddHours(10)).ToList().Of(fast.Catalog, "press", "vibration").Count;

        Assert.Equal(1200, slowSamples); // 20 Hz for 60 s
        Assert.Equal(1200, fastSamples); // 10 h at speed 600 is 60 s of real time: still 20 Hz of it
    }

    [Fact]
    public void Generate_IgnoresSignalsBoundToAnotherSource()
    {
        var line = TestLines.Line(new SimulatorDefinition { Speed = 60 });
        var press = line.Machines[0];
        var wired = press with { Signals = [.. press.Signals.Select(s => s.Name == "strokes" ? s with { Source = new OtherBinding() } : s)] };
        line = line with { Machines = [wired, .. line.Machines.Skip(1)] };
        var simulator = TestLines.Simulator(line);

        var signals = simulator.Generate(Start, Start.AddHours(1)).ToList();

        Assert.Empty(signals.Of(simulator.Catalog, "press", "strokes"));
        Assert.NotEmpty(signals.Of(simulator.Catalog, "press", "scrap"));
    }

    [Fact]
    public async Task RunAsync_PlaysTheGeneratedSequence_NeverAheadOfTheSimulatedClock()
    {
        var simulator = new LineSimulator(new SignalCatalog(TestLines.Line(new SimulatorDefinition { Seed = 9, Speed = 3600 })), TimeProvider.System, Start);
        var channel = Channel.CreateUnbounded<Signal>();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(1));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => simulator.RunAsync(channel.Writer, cts.Token));
        var now = simulator.Clock.GetUtcNow();
        var played = new List<Signal>();
        while (channel.Reader.TryRead(out var signal))
        {
            played.Add(signal);
        }

        Assert.NotEmpty(played);
        Assert.All(played, s => Assert.True(s.Timestamp <= now, $"{s.Timestamp:O} written before the clock reached it ({now:O})"));
        Assert.Equal(simulator.Generate(Start, DateTimeOffset.MaxValue).Take(played.Count), played);
        Assert.False(simulator.IsConnected);
    }

    private sealed record OtherBinding : SourceBinding
    {
        public override string Kind => "other";
    }
}
