using EdgeOps.Contract;
using EdgeOps.Core.Engine;
using EdgeOps.Core.Engine.Events;
using EdgeOps.Core.Model;
using EdgeOps.Core.Signals;
using EdgeOps.Publishing.Mqtt;
using EdgeOps.Publishing.Mqtt.Commands;
using EdgeOps.Publishing.Mqtt.Engine;
using EdgeOps.Publishing.Outbox;
using EdgeOps.Publishing.Tests.Support;
using EdgeOps.TestSupport.Storage;
using Microsoft.Extensions.Logging;

namespace EdgeOps.Publishing.Tests;

/// <summary>A real <see cref="LineEngine"/> through the bridge into the outbox: topics, throttling and the contract schemas.</summary>
public sealed class EngineBridgeTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 6, 0, 0, TimeSpan.Zero);
    private readonly CapturingLoggerFactory _logs = new();
    private readonly MqttPublisher _publisher;
    private readonly SignalCatalog _catalog;
    private readonly LineEngine _engine;

    public EngineBridgeTests()
    {
        // Never started: the bridge only writes to the outbox, which this test then reads.
        var options = new MqttOptions
        {
            Broker = "mqtt://127.0.0.1:9",
            GatewayId = "gw-bridge",
            Outbox = new OutboxOptions { Path = Path.Combine(Directory.CreateTempSubdirectory("edgeops-bridge-").FullName, "o.db"), ReplayRatePerSecond = 0 },
        };
        _publisher = new MqttPublisher(options, TimeProvider.System, _logs);
        var line = new LineDefinition
        {
            Site = "plant1",
            Area = "assembly",
            Line = "line1",
            TimeZone = "Etc/UTC",
            Shifts = [new ShiftDefinition { Name = "early", Start = new TimeOnly(6, 0), End = new TimeOnly(7, 0) }],
            Machines =
            [
                new MachineDefinition
                {
                    Id = "press",
                    IdealCycleTime = TimeSpan.FromSeconds(6),
                    StaleAfter = TimeSpan.FromDays(1),
                    Signals =
                    [
                        new SignalDefinition { Name = "running", Role = SignalRole.Running },
                        new SignalDefinition { Name = "fault", Role = SignalRole.Fault },
                        new SignalDefinition { Name = "total", Role = SignalRole.Total },
                        new SignalDefinition { Name = "reject", Role = SignalRole.Reject },
                    ],
                },
            ],
            Reasons = [new ReasonCode { Code = "jam", Label = "Jam", Category = StateCategory.Down }],
            Products = [new ProductDefinition { Id = "bracket-a", Name = "Bracket A", IdealCycleTime = TimeSpan.FromSeconds(5) }],
        };
        _catalog = new SignalCatalog(line);
        _engine = new LineEngine(_catalog, Start);
    }

    [Fact]
    public async Task LineEngineThroughTheBridge_PublishesEveryTopicValidAgainstTheSchemasWithKpiThrottled()
    {
        var bridge = new MqttEngineBridge(_publisher, _catalog.Line, TimeSpan.FromMinutes(10), TimeProvider.System);
        var handler = new LineEngineCommandHandler((work, _) => Task.FromResult(work(_engine, _engine.Now)));
        var events = new List<EngineEvent>();
        var machine = MqttTopics.Machine("plant1", "assembly", "line1", "press");

        void Tick(DateTimeOffset at)
        {
            _engine.Advance(at);
            _engine.DrainEvents(events);
            foreach (var e in events)
            {
                bridge.OnEvent(e, "plant1", "assembly", "line1");
            }

            events.Clear();
            bridge.OnSnapshot(_engine.GetLineSnapshot(at));
        }

        var t = Start;
        Send("running", 1, t);
        for (var i = 0; i < 100; i++)
        {
            t = t.AddSeconds(6);
            Send("total", 1, t);
            Tick(t);
        }

        Send("running", 0, t);
        Send("fault", 1, t);
        Tick(t.AddMinutes(5));
        var applied = await handler.HandleAsync(new AssignReasonCommand
        {
            Machine = machine, ReceivedAt = t, ReasonCode = "jam", Operator = "badge-17",
        }, CancellationToken.None);
        Assert.True(applied.Ok, applied.Error);
        var refused = await handler.HandleAsync(new AssignReasonCommand
        {
            Machine = machine, ReceivedAt = t, ReasonCode = "no-such-reason",
        }, CancellationToken.None);
        Assert.False(refused.Ok);
        Send("fault", 0, t.AddMinutes(6));
        Send("running", 1, t.AddMinutes(6));
        Tick(t.AddMinutes(6));
        Tick(Start.AddHours(1).AddMinutes(1)); // the shift closes

        _publisher.Outbox.BeginReplay();
        var published = new List<(string Topic, string Json)>();
        while (_publisher.Outbox.TryTake(out var entry, out _))
        {
            published.Add((entry!.Topic, System.Text.Encoding.UTF8.GetString(entry.Payload!)));
        }

        foreach (var (topic, json) in published)
        {
            var schemaId = System.Text.Json.JsonDocument.Parse(json).RootElement.GetProperty("schema").GetString()!;
            var errors = (await ContractSchemas.LoadAsync(ContractSchemas.FileFor(schemaId))).Validate(json);
            Assert.True(errors.Count == 0, $"{topic}: {string.Join("; ", errors.Select(e => $"{e.Path} {e.Kind}"))}\n{json}");
        }

        var topics = published.Select(p => p.Topic).ToHashSet();
        Assert.Superset(new HashSet<string> { machine.State, machine.Counts, machine.Kpi, machine.Events, machine.Shift }, topics);
        // 100+ ticks with a 10 min interval: the first KPI, then held changes at most every 10 minutes of wall clock.
        Assert.InRange(published.Count(p => p.Topic == machine.Kpi), 1, 2);
        Assert.Contains(published, p => p.Topic == machine.Events && p.Json.Contains("\"reasonAssigned\"", StringComparison.Ordinal));
        Assert.Contains(published, p => p.Topic == machine.State && p.Json.Contains("\"down\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task LateCountForACompletedOrder_PublishesOrderRevised_AndTheRetainedOrderTopicFollows_ShiftCarriesTheProductsCounts()
    {
        // A closed order revised on late data, like a shift: the engine's revision through the bridge into the outbox.
        var bridge = new MqttEngineBridge(_publisher, _catalog.Line, TimeSpan.FromMinutes(10), TimeProvider.System);
        var handler = new LineEngineCommandHandler((work, _) => Task.FromResult(work(_engine, _engine.Now)));
        var machine = MqttTopics.Machine("plant1", "assembly", "line1", "press");

        void Tick(DateTimeOffset at) => Step(bridge, at);

        Send("running", 1, Start);
        Tick(Start.AddMinutes(1));
        var started = await handler.HandleAsync(new StartOrderCommand
        {
            Machine = machine, ReceivedAt = Start, OrderId = "PO-1", Product = "bracket-a", Quantity = 100, User = "mes",
        }, CancellationToken.None);
        Assert.True(started.Ok, started.Error);
        Send("total", 50, Start.AddMinutes(10));
        Tick(Start.AddMinutes(20));
        var completed = await handler.HandleAsync(new OrderChangeCommand
        {
            Machine = machine, ReceivedAt = Start, Action = CommandVerb.CompleteOrder, OrderId = "PO-1", User = "mes",
        }, CancellationToken.None);
        Assert.True(completed.Ok, completed.Error);
        Tick(Start.AddMinutes(20));

        // A buffered source catches up: 5 parts counted at 06:15, while PO-1 ran, arrive after its completion.
        Send("total", 5, Start.AddMinutes(15));
        Tick(Start.AddMinutes(21));
        Tick(Start.AddHours(1).AddMinutes(1)); // the shift closes: its record carries the product's counts

        _publisher.Outbox.BeginReplay();
        var published = new List<(string Topic, System.Text.Json.JsonElement Json, string Text)>();
        while (_publisher.Outbox.TryTake(out var entry, out _))
        {
            var text = System.Text.Encoding.UTF8.GetString(entry!.Payload!);
            published.Add((entry.Topic, System.Text.Json.JsonDocument.Parse(text).RootElement, text));
        }

        foreach (var (topic, json, text) in published)
        {
            var errors = (await ContractSchemas.LoadAsync(ContractSchemas.FileFor(json.GetProperty("schema").GetString()!))).Validate(text);
            Assert.True(errors.Count == 0, $"{topic}: {string.Join("; ", errors.Select(e => $"{e.Path} {e.Kind}"))}\n{text}");
        }

        var orderEvents = published.Where(p => p.Topic == machine.Events && p.Json.GetProperty("type").GetString()!.StartsWith("order", StringComparison.Ordinal))
            .Select(p => (Type: p.Json.GetProperty("type").GetString(), Order: p.Json.GetProperty("order"))).ToList();
        Assert.Equal(["orderStarted", "orderCompleted", "orderRevised"], orderEvents.Select(e => e.Type));
        Assert.Equal((0, 50L), (orderEvents[1].Order.GetProperty("revision").GetInt32(), orderEvents[1].Order.GetProperty("counts").GetProperty("total").GetInt64()));
        var revised = orderEvents[2].Order;
        Assert.Equal(("PO-1", "completed", 1, 55L),
            (revised.GetProperty("orderId").GetString(), revised.GetProperty("status").GetString(), revised.GetProperty("revision").GetInt32(),
                revised.GetProperty("counts").GetProperty("total").GetInt64()));
        Assert.Equal(orderEvents[1].Order.GetProperty("end").GetString(), revised.GetProperty("end").GetString());

        // The retained order topic ends on the revision: a late subscriber sees the revised record.
        var retained = published.Last(p => p.Topic == machine.Order).Json.GetProperty("order");
        Assert.Equal((1, 55L), (retained.GetProperty("revision").GetInt32(), retained.GetProperty("counts").GetProperty("total").GetInt64()));

        var product = Assert.Single(published.Single(p => p.Topic == machine.Shift).Json.GetProperty("products").EnumerateArray());
        Assert.Equal(("bracket-a", 55L), (product.GetProperty("product").GetString(), product.GetProperty("counts").GetProperty("total").GetInt64()));
    }

    [Fact]
    public async Task OutboxDiskFull_BridgeHoldsEveryEventAndTheNewState_WritesThemInOrderOnceSpaceReturns()
    {
        // A real ENOSPC: the outbox on a 4 MiB tmpfs, filled to the last byte while the engine goes on producing.
        using var disk = SmallDisk.Mount(4 * 1024 * 1024);
        var options = new MqttOptions
        {
            Broker = "mqtt://127.0.0.1:9",
            GatewayId = "gw-full",
            Outbox = new OutboxOptions { Path = Path.Combine(disk.Path, "outbox.db"), ReplayRatePerSecond = 0 },
        };
        await using var publisher = new MqttPublisher(options, TimeProvider.System, _logs);
        var bridge = new MqttEngineBridge(publisher, _catalog.Line, TimeSpan.Zero, TimeProvider.System, _logs.CreateLogger<MqttEngineBridge>());
        var machine = MqttTopics.Machine("plant1", "assembly", "line1", "press");
        var produced = new List<EngineEvent>();
        var t = Start;

        void Tick(DateTimeOffset at) => produced.AddRange(Step(bridge, at));

        // Stops and restarts, each a state change, a stop that starts and one that ends.
        void Cycle()
        {
            t = t.AddMinutes(1);
            Send("running", 0, t);
            Send("fault", 1, t);
            Tick(t);
            t = t.AddMinutes(4);
            Send("fault", 0, t);
            Send("running", 1, t);
            Tick(t);
        }

        Send("running", 1, t);
        Tick(t);
        Cycle();
        var beforeFull = produced.Count;

        disk.Fill(leaveBytes: 0);
        for (var i = 0; i < 5; i++)
        {
            Cycle();
        }

        // Down at the moment the disk is full: the retained state written later must say so.
        t = t.AddMinutes(1);
        Send("running", 0, t);
        Send("fault", 1, t);
        Tick(t);
        var heldWhileFull = bridge.HeldMessages;
        Assert.True(heldWhileFull > 0, "nothing was held: the outbox never refused a write, so the test did not test anything\n" + _logs.All);
        Assert.Contains("[3090]", _logs.All, StringComparison.Ordinal);

        disk.Free();
        t = t.AddSeconds(1);
        Tick(t);
        Assert.Equal(0, bridge.HeldMessages);
        Assert.Contains("[3091]", _logs.All, StringComparison.Ordinal);

        publisher.Outbox.BeginReplay();
        var written = new List<(string Topic, System.Text.Json.JsonElement Json)>();
        while (publisher.Outbox.TryTake(out var entry, out _))
        {
            written.Add((entry!.Topic, System.Text.Json.JsonDocument.Parse(entry.Payload!).RootElement));
        }

        // Every event the engine produced, in its order, with seqs 1..N: none lost while the disk was full.
        var events = written.Where(w => w.Topic == machine.Events).Select(w => w.Json).ToList();
        Assert.True(produced.Count - beforeFull >= 10, $"only {produced.Count - beforeFull} events while the disk was full");
        var expected = produced.Select(e => EnginePayloads.Event(e, t)).OfType<EdgeOps.Contract.Payloads.EventPayload>().Select(p => (p.Type, p.At));
        Assert.Equal(expected, events.Select(j => (j.GetProperty("type").GetString()!, j.GetProperty("at").GetDateTimeOffset())));
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(j => j.GetProperty("seq").GetInt64()));

        // The state cache was not advanced by the refused writes: the newest retained state written is "down".
        var lastState = written.Last(w => w.Topic == machine.State).Json;
        Assert.Equal("down", lastState.GetProperty("state").GetString());
    }

    public Task InitializeAsync() => Task.CompletedTask;

    // IAsyncLifetime, not IAsyncDisposable: xunit 2 never calls the latter on a test class, so the publisher stayed open.
    public async Task DisposeAsync() => await _publisher.DisposeAsync();

    /// <summary>Moves the engine to <paramref name="at"/> and hands its events and snapshot to the bridge; returns the events.</summary>
    private List<EngineEvent> Step(MqttEngineBridge bridge, DateTimeOffset at)
    {
        _engine.Advance(at);
        var events = new List<EngineEvent>();
        _engine.DrainEvents(events);
        foreach (var e in events)
        {
            bridge.OnEvent(e, "plant1", "assembly", "line1");
        }

        bridge.OnSnapshot(_engine.GetLineSnapshot(at));
        return events;
    }

    private void Send(string signal, double value, DateTimeOffset at) =>
        _engine.Process(new Signal(_catalog.Resolve("press", signal), value, at));
}
