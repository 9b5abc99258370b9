using EdgeOps.Core.Engine;
using EdgeOps.Core.Engine.Events;
using EdgeOps.Core.Model;
using EdgeOps.Core.Orders;
using EdgeOps.Core.Signals;
using EdgeOps.Gateway.Cli;
using EdgeOps.Gateway.Recording;

namespace EdgeOps.Gateway.Tests.Hosting;

/// <summary>
/// Orders through <c>--record</c> and <c>edgeops replay</c>: order ids from a String node (recorded as text), product
/// codes and counts replay into the same order records the live engine made, a late count's revision included.
/// </summary>
public sealed class OrderReplayTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 7, 0, 0, TimeSpan.Zero);
    private readonly string _dir = Directory.CreateTempSubdirectory("edgeops-order-replay-").FullName;

    private static SignalCatalog Catalog() => new(new LineDefinition
    {
        Site = "plant",
        Area = "pressing",
        Line = "line-1",
        TimeZone = "Etc/UTC",
        Shifts = [new ShiftDefinition { Name = "day", Start = new TimeOnly(6, 0), End = new TimeOnly(18, 0), Days = Enum.GetValues<DayOfWeek>() }],
        Products =
        [
            new ProductDefinition { Id = "bracket-a", Code = 1, IdealCycleTime = TimeSpan.FromSeconds(2) },
            new ProductDefinition { Id = "bracket-b", Code = 2, IdealCycleTime = TimeSpan.FromSeconds(3) },
        ],
        Machines =
        [
            new MachineDefinition
            {
                Id = "press",
                IdealCycleTime = TimeSpan.FromSeconds(1),
                StaleAfter = TimeSpan.FromHours(1),
                Signals =
                [
                    new SignalDefinition { Name = "running", Role = SignalRole.Running },
                    new SignalDefinition { Name = "parts", Role = SignalRole.Total },
                    new SignalDefinition { Name = "scrap", Role = SignalRole.Reject },
                    new SignalDefinition { Name = "order", Role = SignalRole.Order },
                    new SignalDefinition { Name = "product", Role = SignalRole.Product },
                ],
            },
        ],
    });

    [Fact]
    public void Replay_OfOrdersFromSignals_ReproducesTheLiveOrderRecords()
    {
        var catalog = Catalog();
        int H(string name) => catalog.Resolve("press", name);
        Signal[] signals =
        [
            new(H("running"), 1, Start),
            new(H("product"), 1, Start),
            new(H("order"), 0, Start.AddSeconds(1), Text: "WO-1"),
            new(H("parts"), 100, Start.AddMinutes(5)),
            new(H("scrap"), 3, Start.AddMinutes(6)),
            new(H("product"), 2, Start.AddMinutes(10)),
            new(H("order"), 0, Start.AddMinutes(10), Text: "WO-2"),
            new(H("running"), 0, Start.AddMinutes(12)),
            new(H("running"), 1, Start.AddMinutes(16)),
            new(H("parts"), 80, Start.AddMinutes(20)),
            new(H("order"), 0, Start.AddMinutes(25), Text: string.Empty),
            new(H("parts"), 7, Start.AddMinutes(8)), // late: WO-1 is revised
        ];
        var file = Path.Combine(_dir, "run.jsonl");
        var live = new LineEngine(catalog, Start);
        var events = new List<EngineEvent>();
        using (var recorder = new SignalRecorder(file, catalog, Start))
        {
            foreach (var signal in signals)
            {
                live.Process(signal);
                recorder.Write(signal);
            }
        }

        var end = Start.AddMinutes(30);
        live.Advance(end);
        live.DrainEvents(events);
        var liveOrders = events.OfType<OrderEvent>().Where(e => e.Change is OrderChange.Completed or OrderChange.Revised)
            .GroupBy(e => e.Record.OrderId).Select(g => g.Last().Record).ToList();

        var replay = ReplayCommand.Replay(file, catalog, end, CancellationToken.None);

        Assert.Empty(replay.Errors);
        Assert.Contains("\"text\":\"WO-1\"", File.ReadAllText(file), StringComparison.Ordinal);
        Assert.Equal(["WO-1", "WO-2"], replay.Output.Orders.Select(o => o.OrderId));
        foreach (var (expected, replayed) in liveOrders.Zip(replay.Output.Orders))
        {
            Assert.Equal(
                (expected.OrderId, expected.ProductId, expected.Revision, expected.Counts, expected.CycleTime, expected.ProductionTime, expected.Kpi.Performance),
                (replayed.OrderId, replayed.ProductId, replayed.Revision, replayed.Counts, replayed.CycleTime, replayed.ProductionTime, replayed.Kpi.Performance));
        }

        var first = replay.Output.Orders[0];
        Assert.Equal((1, 107L, 3L, "bracket-a"), (first.Revision, first.Counts.Total, first.Counts.Reject, first.ProductId));
        var second = replay.Output.Orders[1];
        Assert.Equal((OrderStatus.Completed, "bracket-b", TimeSpan.FromMinutes(15)), (second.Status, second.ProductId, second.CycleTime));
        Assert.Equal(TimeSpan.FromMinutes(11), second.ProductionTime); // stopped 4 min (past the 120 s threshold): downtime
    }

    [Fact]
    public void Replay_OfOrdersFromCommands_RepeatsThemAtTheirInstants()
    {
        // As the engine loop records: every signal, and each drained order/product event no signal made.
        var catalog = Catalog();
        int H(string name) => catalog.Resolve("press", name);
        var file = Path.Combine(_dir, "commands.jsonl");
        var live = new LineEngine(catalog, Start);
        var events = new List<EngineEvent>();
        using (var recorder = new SignalRecorder(file, catalog, Start))
        {
            void Signal(Signal signal)
            {
                live.Process(signal);
                recorder.Write(signal);
            }

            void Drain()
            {
                var batch = new List<EngineEvent>();
                live.DrainEvents(batch);
                batch.ForEach(recorder.Write);
                events.AddRange(batch);
            }

            Signal(new(H("running"), 1, Start));
            Assert.True(live.StartOrder("press", new OrderStart("WO-7", "bracket-b", 200, Start.AddHours(2)), Start.AddMinutes(1), "mqtt:anna").Accepted);
            Drain();
            Signal(new(H("parts"), 60, Start.AddMinutes(5)));
            Assert.True(live.PauseOrder("press", "WO-7", Start.AddMinutes(6), "board:ben").Accepted);
            Drain();
            Signal(new(H("parts"), 10, Start.AddMinutes(7)));
            Assert.True(live.ResumeOrder("press", "WO-7", Start.AddMinutes(8), "board:ben").Accepted);
            Drain();
            Signal(new(H("parts"), 30, Start.AddMinutes(9)));
            Assert.True(live.SetProduct("press", "bracket-a", Start.AddMinutes(10), "board:ben").Accepted);
            Assert.True(live.CompleteOrder("press", "WO-7", Start.AddMinutes(12), "mqtt:anna").Accepted);
            Drain();
        }

        var replay = ReplayCommand.Replay(file, catalog, Start.AddMinutes(15), CancellationToken.None);

        Assert.Empty(replay.Errors);
        var expected = events.OfType<OrderEvent>().Last(e => e.Change == OrderChange.Completed).Record;
        var replayed = Assert.Single(replay.Output.Orders);
        Assert.Equal(
            (expected.OrderId, expected.ProductId, expected.Quantity, expected.Due, expected.Start, expected.End, expected.PausedTime, expected.Counts, expected.StartedBy, expected.CompletedBy),
            (replayed.OrderId, replayed.ProductId, replayed.Quantity, replayed.Due, replayed.Start, replayed.End, replayed.PausedTime, replayed.Counts, replayed.StartedBy, replayed.CompletedBy));
        Assert.Equal((90L, TimeSpan.FromMinutes(2)), (replayed.Counts.Total, replayed.PausedTime));
        Assert.Equal(expected.Kpi.Performance, replayed.Kpi.Performance);
        Assert.Equal("bracket-a", replay.Output.Final!.Machines[0].ProductId);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
