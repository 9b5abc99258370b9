using EdgeOps.Core.Engine;
using EdgeOps.Core.Model;
using EdgeOps.Core.Signals;
using EdgeOps.Gateway.Cli;
using EdgeOps.Gateway.Recording;

namespace EdgeOps.Gateway.Tests.Hosting;

/// <summary>
/// State codes through <c>--record</c> and <c>edgeops replay</c>: a code that is not a number (a Boolean or string node,
/// passed on as NaN) is recorded and replayed like any value, so the replay gives what the live engine gave.
/// </summary>
public sealed class StateCodeReplayTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 7, 0, 0, TimeSpan.Zero);
    private readonly string _dir = Directory.CreateTempSubdirectory("edgeops-statecode-replay-").FullName;

    private static SignalCatalog Catalog() => new(new LineDefinition
    {
        Site = "plant",
        Area = "bottling",
        Line = "line-1",
        TimeZone = "Etc/UTC",
        Shifts = [new ShiftDefinition { Name = "day", Start = new TimeOnly(6, 0), End = new TimeOnly(18, 0), Days = Enum.GetValues<DayOfWeek>() }],
        Machines =
        [
            new MachineDefinition
            {
                Id = "filler",
                IdealCycleTime = TimeSpan.FromSeconds(1),
                StaleAfter = TimeSpan.FromHours(1),
                StateModel = StateModel.PackMl,
                Signals =
                [
                    new SignalDefinition { Name = "state", Role = SignalRole.StateCode },
                    new SignalDefinition { Name = "status", Role = SignalRole.StatusWord, Bits = [new StatusBitDefinition(3, SignalRole.Fault)] },
                ],
            },
        ],
    });

    [Fact]
    public void Replay_OfStateCodesWithNaNAndUnmappedCodes_GivesTheLiveEnginesState()
    {
        var catalog = Catalog();
        var state = catalog.Resolve("filler", "state");
        var status = catalog.Resolve("filler", "status");
        Signal[] signals =
        [
            new(state, 6, Start.AddSeconds(1)),
            new(state, double.NaN, Start.AddSeconds(11)), // a Boolean node: Down/unknown
            new(state, 6, Start.AddSeconds(21)),
            new(state, 42, Start.AddSeconds(31)),         // unmapped: Down/unknown
            new(state, 6, Start.AddSeconds(41)),
            new(status, 8, Start.AddSeconds(300)),        // fault bit: Down/fault, 5 min
            new(status, double.PositiveInfinity, Start.AddSeconds(400)), // ignored
            new(status, 0, Start.AddSeconds(600)),
            new(state, 11, Start.AddSeconds(700)),        // Held, still open at the end
        ];
        var file = Path.Combine(_dir, "run.jsonl");
        var live = new LineEngine(catalog, Start);
        using (var recorder = new SignalRecorder(file, catalog, Start))
        {
            foreach (var signal in signals)
            {
                live.Process(signal);
                recorder.Write(signal);
            }
        }

        var end = Start.AddSeconds(900); // Held open for 200 s: past the threshold, downtime
        var replay = ReplayCommand.Replay(file, catalog, end, CancellationToken.None);

        Assert.Empty(replay.Errors);
        Assert.Equal(signals.Length, replay.Output.Signals);
        var expected = live.GetMachineSnapshot(0, end);
        var replayed = Assert.Single(replay.Output.Final!.Machines);
        Assert.Equal((StateCategory.Down, "held"), (replayed.State, replayed.ReasonCode));
        Assert.Equal((expected.State, expected.ReasonCode, expected.StateSince), (replayed.State, replayed.ReasonCode, replayed.StateSince));
        Assert.Equal(expected.Kpi.MicroStopCount, replayed.Kpi.MicroStopCount);
        Assert.Equal(2, replayed.Kpi.MicroStopCount); // the NaN spell and the unmapped spell, 10 s each
        Assert.Equal(expected.Kpi.DowntimeByReason, replayed.Kpi.DowntimeByReason);
        Assert.Equal(300, Assert.Single(replayed.Kpi.DowntimeByReason, r => r.ReasonCode == "fault").Duration.TotalSeconds);
        Assert.Contains("\"value\":\"NaN\"", File.ReadAllText(file), StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
