using EdgeOps.Contract;
using EdgeOps.Publishing.Mqtt;
using EdgeOps.Publishing.Mqtt.Commands;
using EdgeOps.Publishing.Tests.Support;
using EdgeOps.TestSupport.Mosquitto;
using EdgeOps.TestSupport.Mqtt;

namespace EdgeOps.Publishing.Tests;

[Collection("publisher")]
public sealed class PublisherTests : IAsyncLifetime
{
    private readonly CapturingLoggerFactory _logs = new();
    private MosquittoBroker _broker = null!;

    public async Task InitializeAsync() => _broker = await MosquittoBroker.StartAsync();

    public async Task DisposeAsync() => await _broker.DisposeAsync();

    [Fact]
    public async Task Publish_EventsAndSnapshots_ArriveWithSeqRetainFlagsAndAnOnlineBirth()
    {
        var m = Samples.Machine();
        var options = Gateways.Options(_broker);
        await using var subscriber = await TestSubscriber.StartAsync(_broker.Host, _broker.Port, "edgeops/v1/#");
        await using var publisher = Gateways.Create(options, _logs);
        await publisher.StartAsync(CancellationToken.None);

        for (var i = 1; i <= 3; i++)
        {
            await publisher.EnqueueAsync(Samples.Event(m, i), CancellationToken.None);
        }

        await publisher.EnqueueAsync(Samples.Kpi(m, 0.5), CancellationToken.None);
        await subscriber.WaitForAsync(r => r.Topic == m.Events && r.Seq == 3, TimeSpan.FromSeconds(10), "event seq 3");
        var kpi = await subscriber.WaitForAsync(r => r.Topic == m.Kpi, TimeSpan.FromSeconds(10), "kpi");
        var birth = await subscriber.WaitForAsync(r => r.Topic == publisher.StatusTopic, TimeSpan.FromSeconds(10), "birth");

        Assert.Equal([1L, 2, 3], subscriber.Received.Where(r => r.Topic == m.Events).Select(r => r.Seq));
        Assert.All(subscriber.Received.Where(r => r.Topic == m.Events), r => Assert.False(r.Retain));
        Assert.Equal(1, kpi.Seq);
        Assert.Equal("online", birth.Json.GetProperty("state").GetString());
        Assert.Equal("0.1.0-test", birth.Json.GetProperty("version").GetString());
        Assert.Equal("sha256:test", birth.Json.GetProperty("configHash").GetString());
        Assert.Equal($"edgeops/v1/plant1/_gateways/{options.GatewayId}/status", publisher.StatusTopic);
        await Gateways.WaitUntilAsync(() => publisher.Outbox.Count == 0, TimeSpan.FromSeconds(5), () => _logs.All);

        // A late subscriber gets the retained snapshot and status, not the events.
        await using var late = await TestSubscriber.StartAsync(_broker.Host, _broker.Port, "edgeops/v1/#");
        var retainedKpi = await late.WaitForAsync(r => r.Topic == m.Kpi, TimeSpan.FromSeconds(5), "retained kpi");
        Assert.True(retainedKpi.Retain);
        await Task.Delay(300);
        Assert.DoesNotContain(late.Received, r => r.Topic == m.Events);
    }

    [Fact]
    public async Task Stop_Gracefully_LeavesStatusOfflineWithAHigherSeqThanTheBirth()
    {
        var options = Gateways.Options(_broker);
        await using var subscriber = await TestSubscriber.StartAsync(_broker.Host, _broker.Port, "edgeops/v1/plant1/_gateways/#");
        var publisher = Gateways.Create(options, _logs);
        await publisher.StartAsync(CancellationToken.None);
        var birth = await subscriber.WaitForAsync(r => r.Json.GetProperty("state").GetString() == "online", TimeSpan.FromSeconds(10), "online");

        await publisher.StopAsync(CancellationToken.None);
        await publisher.DisposeAsync();

        var offline = await subscriber.WaitForAsync(r => r.Json.GetProperty("state").GetString() == "offline", TimeSpan.FromSeconds(10), "offline");
        Assert.True(offline.Seq > birth.Seq);
    }

    [Fact]
    public async Task Restart_WithTheSameOutbox_ContinuesEachTopicsSeq()
    {
        var m = Samples.Machine();
        var options = Gateways.Options(_broker);
        await using var subscriber = await TestSubscriber.StartAsync(_broker.Host, _broker.Port, m.Events);
        for (var run = 0; run < 2; run++)
        {
            await using var publisher = Gateways.Create(options, _logs);
            await publisher.StartAsync(CancellationToken.None);
            await publisher.EnqueueAsync(Samples.Event(m, run), CancellationToken.None);
            await Gateways.WaitUntilAsync(() => publisher.Outbox.Count == 0, TimeSpan.FromSeconds(10), () => _logs.All);
            await publisher.StopAsync(CancellationToken.None);
        }

        await subscriber.WaitForAsync(r => r.Seq == 2, TimeSpan.FromSeconds(5), "seq 2 from the second run");
        Assert.Equal([1L, 2], subscriber.Received.Select(r => r.Seq));
    }

    [Fact]
    public async Task Command_Valid_IsAppliedOnceAndAnsweredOk()
    {
        var m = Samples.Machine();
        var handler = new RecordingHandler();
        var options = Gateways.Options(_broker) with { CommandFilters = [MqttTopics.CommandFilter("plant1", "packaging", "line1")] };
        await using var subscriber = await TestSubscriber.StartAsync(_broker.Host, _broker.Port, m.Base + "/cmd/+/reply");
        await using var publisher = Gateways.Create(options, _logs, handler);
        await publisher.StartAsync(CancellationToken.None);
        await Gateways.WaitUntilAsync(() => publisher.IsConnected, TimeSpan.FromSeconds(10), () => _logs.All);
        await Task.Delay(200);

        await subscriber.PublishAsync(m.Command(CommandVerb.AssignReason),
            """{"requestId":"r-1","reasonCode":"jam","stopStartedAt":"2026-11-26T06:30:00Z","operator":"badge-17"}""");
        var reply = await subscriber.WaitForAsync(r => r.Topic == m.Reply(CommandVerb.AssignReason), TimeSpan.FromSeconds(10), "reply");

        Assert.True(reply.Json.GetProperty("ok").GetBoolean());
        Assert.Equal("r-1", reply.Json.GetProperty("requestId").GetString());
        var command = Assert.IsType<AssignReasonCommand>(Assert.Single(handler.Received));
        Assert.Equal("jam", command.ReasonCode);
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 6, 30, 0, TimeSpan.Zero), command.StopStartedAt);
        Assert.Equal("filler", command.Machine.MachineId);
    }

    [Theory]
    [InlineData(CommandVerb.AssignReason, """{"requestId":"r-2"}""", "field 'reasonCode' is required")]
    [InlineData(CommandVerb.AssignReason, """{"requestId":"r-2","reasonCode":"jam","stopStartedAt":"yesterday"}""", "field 'stopStartedAt' must be an RFC 3339 time")]
    [InlineData(CommandVerb.AssignReason, """{"requestId":"r-2","reasonCode":"jam","reason":"x"}""", "unknown field 'reason'")]
    [InlineData(CommandVerb.PlannedStop, """{"requestId":"r-2","active":"yes"}""", "field 'active' must be true or false")]
    [InlineData(CommandVerb.PlannedStop, """{"requestId":"r-2","reasonCode":"maintenance"}""", "field 'active' is required")]
    [InlineData(CommandVerb.AssignReason, """{"requestId":"r-2","reasonCode":"jam","stopId":-4}""", "field 'stopId' must be a non-negative integer")]
    [InlineData(CommandVerb.ResetMaintenance, """{"requestId":"r-2","item":""}""", "field 'item' is empty")]
    [InlineData(CommandVerb.ResetMaintenance, """not json""", "payload is not valid JSON")]
    [InlineData("explode", """{"requestId":"r-2"}""", "unknown verb 'explode'")]
    public async Task Command_Invalid_IsAnsweredWithTheErrorAndChangesNothing(string verb, string payload, string expectedError)
    {
        var m = Samples.Machine();
        var handler = new RecordingHandler();
        var options = Gateways.Options(_broker) with { CommandFilters = [MqttTopics.CommandFilter("plant1", "packaging", "line1")] };
        await using var subscriber = await TestSubscriber.StartAsync(_broker.Host, _broker.Port, m.Base + "/cmd/+/reply");
        await using var publisher = Gateways.Create(options, _logs, handler);
        await publisher.StartAsync(CancellationToken.None);
        await Gateways.WaitUntilAsync(() => publisher.IsConnected, TimeSpan.FromSeconds(10), () => _logs.All);
        await Task.Delay(200);

        await subscriber.PublishAsync(m.Command(verb), payload);
        var reply = await subscriber.WaitForAsync(r => r.Topic == m.Reply(verb), TimeSpan.FromSeconds(10), "reply");

        Assert.False(reply.Json.GetProperty("ok").GetBoolean());
        Assert.Contains(expectedError, reply.Json.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Empty(handler.Received);
    }

    [Fact]
    public async Task Command_RefusedByTheHandler_IsAnsweredWithItsReason()
    {
        var m = Samples.Machine();
        var handler = new RecordingHandler { Refusal = "reason code 'jamm' is not configured for line1" };
        var options = Gateways.Options(_broker) with { CommandFilters = [MqttTopics.CommandFilter("plant1", "packaging", "line1")] };
        await using var subscriber = await TestSubscriber.StartAsync(_broker.Host, _broker.Port, m.Base + "/cmd/+/reply");
        await using var publisher = Gateways.Create(options, _logs, handler);
        await publisher.StartAsync(CancellationToken.None);
        await Gateways.WaitUntilAsync(() => publisher.IsConnected, TimeSpan.FromSeconds(10), () => _logs.All);
        await Task.Delay(200);

        await subscriber.PublishAsync(m.Command(CommandVerb.AssignReason), """{"reasonCode":"jamm"}""");
        var reply = await subscriber.WaitForAsync(r => r.Topic == m.Reply(CommandVerb.AssignReason), TimeSpan.FromSeconds(10), "reply");

        Assert.False(reply.Json.GetProperty("ok").GetBoolean());
        Assert.Equal(handler.Refusal, reply.Json.GetProperty("error").GetString());
    }

    private sealed class RecordingHandler : ICommandHandler
    {
        public List<MachineCommand> Received { get; } = [];

        public string? Refusal { get; init; }

        public IReadOnlyCollection<string> Verbs { get; } = [CommandVerb.AssignReason, CommandVerb.PlannedStop, CommandVerb.ResetMaintenance];

        public ValueTask<CommandResult> HandleAsync(MachineCommand command, CancellationToken cancellationToken)
        {
            if (Refusal is not null)
            {
                return ValueTask.FromResult(CommandResult.Rejected(Refusal));
            }

            lock (Received)
            {
                Received.Add(command);
            }

            return ValueTask.FromResult(CommandResult.Applied);
        }
    }
}
