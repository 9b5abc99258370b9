using System.Text.Json.Nodes;
using EdgeOps.Contract.Sparkplug;
using EdgeOps.Publishing.Sparkplug;
using EdgeOps.Publishing.Tests.Support;
using EdgeOps.TestSupport.Mosquitto;
using EdgeOps.TestSupport.Sparkplug;

namespace EdgeOps.Publishing.Tests;

/// <summary>
/// The Sparkplug B edge node against a real Mosquitto, judged by an independent host written with Eclipse Tahu's
/// JavaScript sparkplug-payload (tests/sparkplug-host): it decodes every message and reports each session rule broken.
/// </summary>
public sealed class SparkplugSessionTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);
    private readonly CapturingLoggerFactory _logs = new();
    private MosquittoBroker _broker = null!;
    private readonly List<IAsyncDisposable> _owned = [];

    public async Task InitializeAsync() => _broker = await MosquittoBroker.StartAsync();

    public async Task DisposeAsync()
    {
        foreach (var owned in Enumerable.Reverse(_owned))
        {
            await owned.DisposeAsync();
        }

        await _broker.DisposeAsync();
    }

    [Fact]
    public async Task Session_BirthsThenDataWithAliases_SeqWrapsOverEveryMessage_RebirthOnNcmd()
    {
        var line = Own(new SparkplugLine(_broker, _logs));
        var host = Own(await SparkplugHost.StartAsync(line.BrokerUrl, line.Settings.GroupId, line.Settings.EdgeNodeId));
        line.Cycle("press");
        line.Cycle("filler");
        line.Tick(TimeSpan.FromSeconds(1));
        await line.Session.StartAsync(CancellationToken.None);

        var nbirth = await host.WaitForAsync(m => m.Type == "NBIRTH", Wait, "an NBIRTH");
        Assert.Equal(0, nbirth.Seq);
        Assert.Equal(line.Session.BdSeq, nbirth.BdSeq);
        var pressBirth = await host.WaitForAsync(m => m.Type == "DBIRTH" && m.Device == "press", Wait, "the press's DBIRTH");
        await host.WaitForAsync(m => m.Type == "DBIRTH" && m.Device == "filler", Wait, "the filler's DBIRTH");
        Assert.Equal("running", pressBirth.Metric("State")!.Value!.GetValue<string>());
        Assert.Equal("ratio", pressBirth.Metric("KPI/OEE")!.Properties!["engUnit"]!.GetValue<string>());
        Assert.Equal("Double", pressBirth.Metric("KPI/OEE")!.Type);
        Assert.Equal("Int64", pressBirth.Metric("Counts/Lifetime/Total")!.Type);
        Assert.All(pressBirth.Metrics, m => Assert.NotNull(m.Alias));

        // 300 cycles with no minimum interval: a DDATA per tick, so seq passes 255 and wraps to 0.
        for (var i = 0; i < 300; i++)
        {
            line.Cycle("press");
            line.Tick(TimeSpan.FromSeconds(2));
        }

        var last = await host.WaitForAsync(m => m.Type == "DDATA" && m.Device == "press" && m.Metric("Counts/Lifetime/Total")?.Value?.GetValue<long>() == 301,
            Wait, "the DDATA with the press's 301st count");
        var messages = host.Messages;
        Assert.All(messages, m => Assert.True(m.Problems.Count == 0, $"{m.Type} {m.Device} seq {m.Seq}: {string.Join("; ", m.Problems)}"));
        Assert.True(messages.Count(m => m.Type == "DDATA") >= 300, $"{messages.Count(m => m.Type == "DDATA")} DDATA");
        Assert.Contains(messages.Zip(messages.Skip(1)), pair => pair.First.Seq == 255 && pair.Second.Seq == 0);
        Assert.All(messages.Where(m => m.Type == "DDATA").SelectMany(m => m.Metrics), metric => Assert.NotNull(metric.Name));
        Assert.Contains(last.Metrics, m => m.Name == "Counts/Shift/Total" && m.Type == "Int64");

        // The current order as metrics (issue "products, orders").
        Assert.Equal("String", pressBirth.Metric("Order/Id")!.Type);
        line.StartOrder("press", "PO-4711", 500);
        line.Cycle("press");
        line.Tick(TimeSpan.FromSeconds(2));
        var order = await host.WaitForAsync(m => m.Type == "DDATA" && m.Metric("Order/Id")?.Value?.GetValue<string>() == "PO-4711", Wait, "the order's metrics");
        Assert.Equal("running", order.Metric("Order/Status")!.Value!.GetValue<string>());
        Assert.Equal(500, order.Metric("Order/Quantity")!.Value!.GetValue<long>());

        // Rebirth on NCMD: a new NBIRTH (seq 0, same bdSeq: the connection is the same) and every DBIRTH again.
        var before = host.Messages.Count;
        await host.NodeCommandAsync((SparkplugCommandsNames.Rebirth, "Boolean", true));
        var rebirth = await host.WaitForAsync(m => m.Type == "NBIRTH" && host.Messages.ToList().IndexOf(m) >= before, Wait, "the NBIRTH after NCMD Rebirth");
        Assert.Equal(nbirth.BdSeq, rebirth.BdSeq);
        await host.WaitForAsync(m => m.Type == "DBIRTH" && m.Device == "filler" && host.Messages.ToList().IndexOf(m) > before, Wait, "the DBIRTHs after the rebirth");
        line.Cycle("press");
        line.Tick(TimeSpan.FromSeconds(2));
        await host.WaitForAsync(m => m.Type == "DDATA" && m.Metric("Counts/Lifetime/Total")?.Value?.GetValue<long>() == 303, Wait, "data after the rebirth");
        Assert.All(host.Messages, m => Assert.True(m.Problems.Count == 0, $"{m.Type} {m.Device} seq {m.Seq}: {string.Join("; ", m.Problems)}"));
    }

    [Fact]
    public async Task Dcmd_AssignReason_ChangesTheReasonAndIsAnswered_BadInputIsRefusedOncePerCause()
    {
        var (line, host) = await LiveAsync();

        // A fault with no reason: down, "unknown" until someone assigns one.
        line.Send("press", "running", 0);
        line.Send("press", "fault", 1);
        line.Tick(TimeSpan.FromMinutes(3));
        await host.WaitForAsync(m => m.Type == "DDATA" && m.Metric("State")?.Value?.GetValue<string>() == "down", Wait, "the press down");

        await host.DeviceCommandAsync("press", ("Commands/Assign Reason", "String", "jam"), ("Commands/Request Id", "String", "r-1"));
        var reply = await host.WaitForAsync(m => m.Type == "DDATA" && m.Metric("Commands/Reply")?.Value?.GetValue<string>() is { Length: > 0 }, Wait, "the reply");
        var replyJson = JsonNode.Parse(reply.Metric("Commands/Reply")!.Value!.GetValue<string>())!;
        Assert.True(replyJson["ok"]!.GetValue<bool>(), replyJson.ToJsonString());
        Assert.Equal("assign-reason", replyJson["verb"]!.GetValue<string>());
        Assert.Equal("r-1", replyJson["requestId"]!.GetValue<string>());
        line.Tick(TimeSpan.FromSeconds(1));
        await host.WaitForAsync(m => m.Type == "DDATA" && m.Metric("State/Reason Code")?.Value?.GetValue<string>() == "jam", Wait, "the reason assigned");

        // The same validation as the JSON command: an unknown reason code is refused by the engine handler, answered.
        await host.DeviceCommandAsync("press", ("Commands/Assign Reason", "String", "no-such-reason"));
        await WaitForReplyAsync(host, r => r["ok"]!.GetValue<bool>() == false && r["error"]!.GetValue<string>().Contains("no-such-reason", StringComparison.Ordinal));

        // Bad input: none of it may stop the session, and each cause is logged once.
        var ncmd = SparkplugTopics.Node(line.Settings.GroupId, SparkplugMessageType.NCmd, line.Settings.EdgeNodeId);
        var dcmd = SparkplugTopics.Device(line.Settings.GroupId, SparkplugMessageType.DCmd, line.Settings.EdgeNodeId, "press");
        var truncated = SparkplugCodec.Encode(new SparkplugPayload { Timestamp = 1, Metrics = [new SparkplugMetric { Name = "Commands/Assign Reason", DataType = SparkplugDataType.String, Value = SparkplugValue.String("jam") }] });
        for (var round = 0; round < 2; round++)
        {
            await host.RawAsync(ncmd, "{\"not\":\"protobuf\"}"u8.ToArray());
            await host.RawAsync(dcmd, truncated[..^3]);
            await host.DeviceCommandAsync("press", ("Commands/No Such Thing", "String", "x"));
            await host.DeviceCommandAsync("press", ("Commands/Assign Reason", "Int64", 5));
            await host.NodeCommandAsync(("Node Control/Reboot", "Boolean", true));
            await host.NodeCommandAsync(("Node Control/Rebirth", "String", "yes"));
            await host.RawAsync(dcmd, [0xFF, 0xFF, 0xFF]);
        }

        await WaitForReplyAsync(host, r => r["error"]?.GetValue<string>().Contains("unknown metric 'Commands/No Such Thing'", StringComparison.Ordinal) == true);
        await WaitForReplyAsync(host, r => r["error"]?.GetValue<string>().Contains("'Commands/Assign Reason' must be a String", StringComparison.Ordinal) == true);
        await Gateways.WaitUntilAsync(() => Warnings().Count >= 5, Wait, () => _logs.All);
        var warnings = Warnings();
        Assert.True(warnings.Count == warnings.Distinct().Count(), "a cause logged twice at warning level:\n" + string.Join("\n", warnings));
        Assert.Contains(warnings, w => w.Contains("not a Sparkplug B payload", StringComparison.Ordinal) && w.Contains("NCMD", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("not a Sparkplug B payload", StringComparison.Ordinal) && w.Contains("DCMD", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("unknown metric 'Node Control/Reboot'", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("'Node Control/Rebirth' must be a Boolean", StringComparison.Ordinal));
        Assert.DoesNotContain(host.Messages.Skip(1), m => m.Type == "NBIRTH");

        // Still live: the next count arrives, and the host saw no broken rule throughout.
        line.Send("press", "fault", 0);
        line.Cycle("press");
        line.Tick(TimeSpan.FromSeconds(2));
        await host.WaitForAsync(m => m.Type == "DDATA" && m.Metric("State")?.Value?.GetValue<string>() == "running", Wait, "data after the bad input");
        Assert.True(line.Session.IsLive);
        Assert.All(host.Messages, m => Assert.True(m.Problems.Count == 0, $"{m.Type} {m.Device} seq {m.Seq}: {string.Join("; ", m.Problems)}"));

        List<string> Warnings() => _logs.Lines.Where(l => l.Contains("[3406]", StringComparison.Ordinal))
            .Select(l => l[(l.IndexOf(' ', StringComparison.Ordinal) + 1)..]).ToList();
    }

    [Fact]
    public async Task MachineOffline_DdeathThenDbirthWhenItsDataReturns()
    {
        var line = Own(new SparkplugLine(_broker, _logs, pressStaleAfter: TimeSpan.FromSeconds(10)));
        var host = Own(await SparkplugHost.StartAsync(line.BrokerUrl, line.Settings.GroupId, line.Settings.EdgeNodeId));
        line.Cycle("press");
        line.Cycle("filler");
        line.Tick(TimeSpan.FromSeconds(1));
        await line.Session.StartAsync(CancellationToken.None);
        await host.WaitForAsync(m => m.Type == "DBIRTH" && m.Device == "press", Wait, "the press's DBIRTH");

        // The press's source goes quiet past its staleAfter: Offline, so its metrics are stale: DDEATH.
        for (var i = 0; i < 8; i++)
        {
            line.Cycle("filler");
            line.Tick(TimeSpan.FromSeconds(2));
        }

        var death = await host.WaitForAsync(m => m.Type == "DDEATH" && m.Device == "press", Wait, "the press's DDEATH");
        line.Cycle("press");
        line.Tick(TimeSpan.FromSeconds(1));
        var birth = await host.WaitForAsync(m => m.Type == "DBIRTH" && m.Device == "press" && m.Seq > death.Seq, Wait, "the press's DBIRTH after it returned");
        Assert.Equal("running", birth.Metric("State")!.Value!.GetValue<string>());
        Assert.DoesNotContain(host.Messages, m => m.Type == "DDEATH" && m.Device == "filler");
        Assert.All(host.Messages, m => Assert.True(m.Problems.Count == 0, $"{m.Type} {m.Device} seq {m.Seq}: {string.Join("; ", m.Problems)}"));
    }

    [Fact]
    public async Task PrimaryHostOffline_DataHeldInTheOutbox_SentAsHistoricalInOrderAfterItReturns()
    {
        var line = Own(new SparkplugLine(_broker, _logs, primaryHost: "scada"));
        var host = Own(await SparkplugHost.StartAsync(line.BrokerUrl, line.Settings.GroupId, line.Settings.EdgeNodeId, hostId: "scada"));
        line.Cycle("press");
        line.Tick(TimeSpan.FromSeconds(1));
        await line.Session.StartAsync(CancellationToken.None);

        // No births before the host says it is online.
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.DoesNotContain(host.Messages, m => m.Type == "NBIRTH");
        await host.StateAsync(online: true);
        var firstBirth = await host.WaitForAsync(m => m.Type == "NBIRTH", Wait, "the NBIRTH once the host is online");
        line.Cycle("press");
        line.Tick(TimeSpan.FromSeconds(2));
        await host.WaitForAsync(m => m.Type == "DDATA" && m.Metric("Counts/Lifetime/Total")?.Value?.GetValue<long>() == 2, Wait, "live data");

        // The host goes offline: the node ends its session (NDEATH) and keeps producing into the outbox.
        await host.StateAsync(online: false);
        var death = await host.WaitForAsync(m => m.Type == "NDEATH", Wait, "the NDEATH after the host went offline");
        Assert.Equal(firstBirth.BdSeq, death.BdSeq);
        var offlineAt = host.Messages.Count;
        for (var i = 0; i < 30; i++)
        {
            // 30 s with the line running, on the wall clock too: one cycle a second.
            line.Cycle("press");
            line.Tick(TimeSpan.FromSeconds(1));
            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(offlineAt, host.Messages.Count);
        Assert.True(line.Session.Outbox.Count >= 30, $"outbox holds {line.Session.Outbox.Count}");

        await host.StateAsync(online: true);
        await host.WaitForAsync(m => m.Type == "DDATA" && m.Metric("Counts/Lifetime/Total")?.Value?.GetValue<long>() == 32, Wait, "the held data");
        var after = host.Messages.Skip(offlineAt).ToList();
        var secondBirth = after.First(m => m.Type == "NBIRTH");
        Assert.Equal((firstBirth.BdSeq + 1) % 256, secondBirth.BdSeq);
        var held = after.Where(m => m.Type == "DDATA" && m.Device == "press" && m.Metric("Counts/Lifetime/Total") is not null).ToList();
        var totals = held.Select(m => m.Metric("Counts/Lifetime/Total")!.Value!.GetValue<long>()).ToList();
        // Nothing lost, in order, every one historical: the births carry the current values.
        Assert.Equal(Enumerable.Range(3, 30).Select(i => (long)i), totals);
        Assert.All(held, m => Assert.All(m.Metrics, metric => Assert.True(metric.IsHistorical, $"{metric.Name} in seq {m.Seq} is not historical")));
        Assert.Equal(32, after.First(m => m.Type == "DBIRTH" && m.Device == "press").Metric("Counts/Lifetime/Total")!.Value!.GetValue<long>());
        Assert.All(host.Messages, m => Assert.True(m.Problems.Count == 0, $"{m.Type} {m.Device} seq {m.Seq}: {string.Join("; ", m.Problems)}"));
    }

    [Fact]
    public async Task QueuedRowsOfEveryStoredLayout_FromBeforeAnUpgrade_AreSentAfterTheBirthsInOrder()
    {
        var line = Own(new SparkplugLine(_broker, _logs));
        var host = Own(await SparkplugHost.StartAsync(line.BrokerUrl, line.Settings.GroupId, line.Settings.EdgeNodeId));
        line.Cycle("press");
        line.Tick(TimeSpan.FromSeconds(1));

        // What an outbox file holds after an upgrade: rows of both earlier layouts and of today's, made while no session
        // was live (session 0: historical already), in the order they were queued.
        var layouts = SparkplugEnvelopeTests.LayoutNames;
        var topic = SparkplugTopics.Device(line.Settings.GroupId, SparkplugMessageType.DData, line.Settings.EdgeNodeId, "press");
        for (var i = 0; i < layouts.Length; i++)
        {
            var payload = new SparkplugPayload
            {
                Timestamp = 1_795_413_601_000UL + (ulong)i,
                Metrics = [new SparkplugMetric { Name = "Counts/Lifetime/Total", DataType = SparkplugDataType.Int64, Value = SparkplugValue.Integer(SparkplugDataType.Int64, 900 + i), IsHistorical = true }],
            };
            var stored = SparkplugEnvelopeTests.Store(layouts[i], SparkplugEntryKind.Data, 0, topic, payload);
            line.Session.Outbox.Enqueue(new Outbox.OutgoingMessage(line.Session.QueueTopic, Outbox.MessageKind.Event, retain: false, _ => stored));
        }

        await line.Session.StartAsync(CancellationToken.None);

        await host.WaitForAsync(m => m.Type == "DDATA" && m.Metric("Counts/Lifetime/Total")?.Value?.GetValue<long>() == 900 + layouts.Length - 1, Wait, "the last queued row");
        var replayed = host.Messages.Where(m => m.Type == "DDATA" && m.Metric("Counts/Lifetime/Total")?.Value?.GetValue<long>() >= 900).ToList();
        Assert.Equal(Enumerable.Range(900, layouts.Length).Select(v => (long)v), replayed.Select(m => m.Metric("Counts/Lifetime/Total")!.Value!.GetValue<long>()));
        Assert.All(replayed, m => Assert.Equal("press", m.Device));
        Assert.All(replayed, m => Assert.True(m.Metric("Counts/Lifetime/Total")!.IsHistorical));
        Assert.All(host.Messages, m => Assert.True(m.Problems.Count == 0, $"{m.Type} {m.Device} seq {m.Seq}: {string.Join("; ", m.Problems)}"));
        await WaitForEmptyOutboxAsync(line);
    }

    private static async Task WaitForEmptyOutboxAsync(SparkplugLine line)
    {
        // Every row acknowledged by the broker and gone from the queue: nothing stuck on a row it could not read.
        var deadline = DateTime.UtcNow + Wait;
        while (line.Session.Outbox.Count > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.Equal(0, line.Session.Outbox.Count);
    }

    [Fact]
    public async Task Ncmd_NextServer_EndsTheSessionWithItsNdeath_ThenANewSessionWithTheNextBdSeq()
    {
        var (line, host) = await LiveAsync();
        var first = host.Messages.First(m => m.Type == "NBIRTH");

        // false asks for nothing; true ends this session (its NDEATH, bdSeq of its NBIRTH) and starts the next one on the
        // configured broker (there is one): NBIRTH with the next bdSeq, DBIRTHs, then data.
        await host.NodeCommandAsync(("Node Control/Next Server", "Boolean", false));
        await host.NodeCommandAsync(("Node Control/Next Server", "Boolean", true));
        var death = await host.WaitForAsync(m => m.Type == "NDEATH", Wait, "the NDEATH after NCMD Next Server");
        Assert.Equal(first.BdSeq, death.BdSeq);
        var second = await host.WaitForAsync(m => m.Type == "NBIRTH" && Index(host, m) > Index(host, death), Wait, "the NBIRTH of the next session");
        Assert.Equal((first.BdSeq + 1) % 256, second.BdSeq);
        Assert.Equal(2, host.Messages.Count(m => m.Type == "NBIRTH"));
        await host.WaitForAsync(m => m.Type == "DBIRTH" && m.Device == "filler" && Index(host, m) > Index(host, second), Wait, "the DBIRTHs of the next session");
        line.Cycle("press");
        line.Tick(TimeSpan.FromSeconds(2));
        await host.WaitForAsync(m => m.Type == "DDATA" && m.Metric("Counts/Lifetime/Total")?.Value?.GetValue<long>() == 2 && Index(host, m) > Index(host, second),
            Wait, "data in the next session");
        Assert.Contains(_logs.Lines, l => l.Contains("[3408]", StringComparison.Ordinal) && l.Contains("Node Control/Next Server", StringComparison.Ordinal));
        Assert.All(host.Messages, m => Assert.True(m.Problems.Count == 0, $"{m.Type} {m.Device} seq {m.Seq}: {string.Join("; ", m.Problems)}"));
    }

    [Fact]
    public async Task Dcmd_PlannedStop_StartsAndEndsIt_WithTheJsonCommandsValidationAndReply()
    {
        var (line, host) = await LiveAsync();

        await host.DeviceCommandAsync("press", ("Commands/Planned Stop", "Boolean", true), ("Commands/Operator", "String", "j.doe"),
            ("Commands/Request Id", "String", "ps-1"));
        await WaitForReplyAsync(host, r => r["requestId"]?.GetValue<string>() == "ps-1" && r["verb"]!.GetValue<string>() == "planned-stop" && r["ok"]!.GetValue<bool>());
        line.Tick(TimeSpan.FromSeconds(1));
        await host.WaitForAsync(m => m.Type == "DDATA" && m.Device == "press" && m.Metric("State")?.Value?.GetValue<string>() == "plannedStop", Wait, "the press in a planned stop");

        // The same request id again: answered from the request log, not applied twice (as on the JSON topic).
        await host.DeviceCommandAsync("press", ("Commands/Planned Stop", "Boolean", true), ("Commands/Request Id", "String", "ps-1"));
        await WaitForReplyAsync(host, r => r["requestId"]?.GetValue<string>() == "ps-1" && r["duplicate"]?.GetValue<bool>() == true && r["ok"]!.GetValue<bool>());

        // A parameter of another verb: refused by the same strict parser as the JSON command, and answered.
        await host.DeviceCommandAsync("press", ("Commands/Planned Stop", "Boolean", false), ("Commands/Comment", "String", "x"));
        await WaitForReplyAsync(host, r => r["ok"]!.GetValue<bool>() == false && r["error"]!.GetValue<string>().Contains("comment", StringComparison.OrdinalIgnoreCase));

        await host.DeviceCommandAsync("press", ("Commands/Planned Stop", "Boolean", false), ("Commands/Request Id", "String", "ps-2"));
        await WaitForReplyAsync(host, r => r["requestId"]?.GetValue<string>() == "ps-2" && r["ok"]!.GetValue<bool>());
        line.Cycle("press");
        line.Tick(TimeSpan.FromSeconds(2));
        await host.WaitForAsync(m => m.Type == "DDATA" && m.Device == "press" && m.Metric("State")?.Value?.GetValue<string>() == "running"
            && Index(host, m) > Index(host, host.Messages.Last(x => x.Metric("State")?.Value?.GetValue<string>() == "plannedStop")), Wait, "the press running again");

        // No handler for reset-maintenance on this line: the router's answer, as a JSON command gets it.
        await host.DeviceCommandAsync("press", ("Commands/Reset Maintenance", "String", "lubrication"), ("Commands/Request Id", "String", "rm-1"));
        await WaitForReplyAsync(host, r => r["requestId"]?.GetValue<string>() == "rm-1" && r["ok"]!.GetValue<bool>() == false);
        Assert.All(host.Messages, m => Assert.True(m.Problems.Count == 0, $"{m.Type} {m.Device} seq {m.Seq}: {string.Join("; ", m.Problems)}"));
    }

    [Fact]
    public async Task Dcmd_OrderVerbs_StartPauseResumeComplete_WithTheJsonCommandsValidationAndReply()
    {
        var (line, host) = await LiveAsync();
        var birth = host.Messages.Last(m => m.Type == "DBIRTH" && m.Device == "press");
        foreach (var (name, type) in new[] { ("Commands/Start Order", "String"), ("Commands/Complete Order", "String"), ("Commands/Pause Order", "String"),
            ("Commands/Resume Order", "String"), ("Commands/Product", "String"), ("Commands/Quantity", "Int64"), ("Commands/Due", "String") })
        {
            Assert.Equal(type, birth.Metric(name)?.Type);
        }

        // Refused as the JSON command is, naming the field, and nothing starts.
        await host.DeviceCommandAsync("press", ("Commands/Start Order", "String", "PO-1"), ("Commands/Product", "String", "gear-z"),
            ("Commands/Quantity", "Int64", 500L), ("Commands/Request Id", "String", "so-bad"));
        await WaitForReplyAsync(host, r => r["requestId"]?.GetValue<string>() == "so-bad" && r["ok"]!.GetValue<bool>() == false
            && r["error"]!.GetValue<string>().Contains("field 'product'", StringComparison.Ordinal));
        await host.DeviceCommandAsync("press", ("Commands/Start Order", "String", "PO-1"), ("Commands/Product", "String", "bracket-a"),
            ("Commands/Quantity", "Int64", 0L), ("Commands/Request Id", "String", "so-zero"));
        await WaitForReplyAsync(host, r => r["requestId"]?.GetValue<string>() == "so-zero" && r["ok"]!.GetValue<bool>() == false
            && r["error"]!.GetValue<string>().Contains("field 'quantity'", StringComparison.Ordinal));

        await host.DeviceCommandAsync("press", ("Commands/Start Order", "String", "PO-4711"), ("Commands/Product", "String", "bracket-a"),
            ("Commands/Quantity", "Int64", 500L), ("Commands/Due", "String", "2026-11-23T14:00:00+01:00"), ("Commands/Operator", "String", "mes"),
            ("Commands/Request Id", "String", "so-1"));
        await WaitForReplyAsync(host, r => r["requestId"]?.GetValue<string>() == "so-1" && r["verb"]!.GetValue<string>() == "start-order" && r["ok"]!.GetValue<bool>());
        line.Cycle("press");
        line.Tick(TimeSpan.FromSeconds(2));
        await host.WaitForAsync(m => m.Type == "DDATA" && m.Device == "press" && m.Metric("Order/Id")?.Value?.GetValue<string>() == "PO-4711"
            && m.Metric("Order/Status")?.Value?.GetValue<string>() == "running", Wait, "the order running");

        // Pause and resume name the order; complete leaves it out (empty): the current one, as the JSON command without orderId.
        await host.DeviceCommandAsync("press", ("Commands/Pause Order", "String", "PO-4711"), ("Commands/Request Id", "String", "po-p"));
        await WaitForReplyAsync(host, r => r["requestId"]?.GetValue<string>() == "po-p" && r["verb"]!.GetValue<string>() == "pause-order" && r["ok"]!.GetValue<bool>());
        line.Tick(TimeSpan.FromSeconds(2));
        await host.WaitForAsync(m => m.Type == "DDATA" && m.Device == "press" && m.Metric("Order/Status")?.Value?.GetValue<string>() == "paused", Wait, "the order paused");
        await host.DeviceCommandAsync("press", ("Commands/Resume Order", "String", "PO-9999"), ("Commands/Request Id", "String", "po-r-bad"));
        await WaitForReplyAsync(host, r => r["requestId"]?.GetValue<string>() == "po-r-bad" && r["ok"]!.GetValue<bool>() == false
            && r["error"]!.GetValue<string>().Contains("orderId", StringComparison.Ordinal));
        await host.DeviceCommandAsync("press", ("Commands/Resume Order", "String", "PO-4711"), ("Commands/Request Id", "String", "po-r"));
        await WaitForReplyAsync(host, r => r["requestId"]?.GetValue<string>() == "po-r" && r["ok"]!.GetValue<bool>());
        var beforeComplete = host.Messages.Count;
        await host.DeviceCommandAsync("press", ("Commands/Complete Order", "String", ""), ("Commands/Request Id", "String", "po-c"));
        await WaitForReplyAsync(host, r => r["requestId"]?.GetValue<string>() == "po-c" && r["verb"]!.GetValue<string>() == "complete-order" && r["ok"]!.GetValue<bool>());
        line.Tick(TimeSpan.FromSeconds(2));
        // Completed: the machine has no current order any more (or shows it completed), whichever the snapshot says.
        await host.WaitForAsync(m => m.Type == "DDATA" && m.Device == "press" && Index(host, m) >= beforeComplete
            && m.Metric("Order/Status") is { } status && status.Value?.GetValue<string>() is null or "" or "completed", Wait, "the order completed");

        // A start-order parameter with another verb: refused by the same parser.
        await host.DeviceCommandAsync("press", ("Commands/Complete Order", "String", ""), ("Commands/Quantity", "Int64", 5L), ("Commands/Request Id", "String", "po-x"));
        await WaitForReplyAsync(host, r => r["requestId"]?.GetValue<string>() == "po-x" && r["ok"]!.GetValue<bool>() == false
            && r["error"]!.GetValue<string>().Contains("quantity", StringComparison.Ordinal));
        Assert.All(host.Messages, m => Assert.True(m.Problems.Count == 0, $"{m.Type} {m.Device} seq {m.Seq}: {string.Join("; ", m.Problems)}"));
    }

    /// <summary>A line with one press cycle, its session started, the host has every birth.</summary>
    private async Task<(SparkplugLine Line, SparkplugHost Host)> LiveAsync()
    {
        var line = Own(new SparkplugLine(_broker, _logs));
        var host = Own(await SparkplugHost.StartAsync(line.BrokerUrl, line.Settings.GroupId, line.Settings.EdgeNodeId));
        line.Cycle("press");
        line.Tick(TimeSpan.FromSeconds(1));
        await line.Session.StartAsync(CancellationToken.None);
        await host.WaitForAsync(m => m.Type == "DBIRTH" && m.Device == "filler", Wait, "the births");
        return (line, host);
    }

    private static int Index(SparkplugHost host, HostMessage message) => host.Messages.ToList().IndexOf(message);

    private static async Task WaitForReplyAsync(SparkplugHost host, Func<JsonNode, bool> match) =>
        await host.WaitForAsync(m => m.Type == "DDATA" && m.Metric("Commands/Reply")?.Value?.GetValue<string>() is { Length: > 0 } json && match(JsonNode.Parse(json)!),
            Wait, "the matching reply");

    private T Own<T>(T disposable)
        where T : IAsyncDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    /// <summary>Node control metric names, as a host writes them.</summary>
    private static class SparkplugCommandsNames
    {
        public const string Rebirth = "Node Control/Rebirth";
    }
}
