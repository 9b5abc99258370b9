using EdgeOps.Contract;
using EdgeOps.Publishing.Mqtt;
using EdgeOps.Publishing.Tests.Support;
using EdgeOps.TestSupport.Mosquitto;
using EdgeOps.TestSupport.Mqtt;

namespace EdgeOps.Publishing.Tests;

/// <summary>Real payloads, as a subscriber receives them from Mosquitto, against the published JSON Schemas.</summary>
[Collection("contract")]
public sealed class ContractTests : IAsyncLifetime
{
    private readonly CapturingLoggerFactory _logs = new();
    private MosquittoBroker _broker = null!;

    public async Task InitializeAsync() => _broker = await MosquittoBroker.StartAsync();

    public async Task DisposeAsync() => await _broker.DisposeAsync();

    [Fact]
    public async Task PublishedPayloads_OfEveryKind_ValidateAgainstTheContractSchemas()
    {
        var m = Samples.Machine();
        var options = Gateways.Options(_broker) with { CommandFilters = [MqttTopics.CommandFilter("plant1", "packaging", "line1")] };
        await using var subscriber = await TestSubscriber.StartAsync(_broker.Host, _broker.Port, "edgeops/v1/#");
        var publisher = Gateways.Create(options, _logs);
        await publisher.StartAsync(CancellationToken.None);
        foreach (var message in Samples.OneOfEach(m).Concat(Samples.Orders(m)))
        {
            await publisher.EnqueueAsync(message, CancellationToken.None);
        }

        await Gateways.WaitUntilAsync(() => publisher.IsConnected, TimeSpan.FromSeconds(10), () => _logs.All);
        await subscriber.PublishAsync(m.Command(CommandVerb.AssignReason), """{"requestId":"x","reasonCode":"jam"}""");
        await subscriber.WaitForAsync(r => r.Topic.EndsWith("/reply", StringComparison.Ordinal), TimeSpan.FromSeconds(10), "command reply");
        await publisher.StopAsync(CancellationToken.None);
        await publisher.DisposeAsync();
        await subscriber.WaitForAsync(r => r.Topic == publisher.StatusTopic && r.Text.Contains("offline", StringComparison.Ordinal),
            TimeSpan.FromSeconds(10), "offline");

        var schemasSeen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var received in subscriber.Received.Where(r => !r.Topic.Contains("/cmd/", StringComparison.Ordinal) || r.Topic.EndsWith("/reply", StringComparison.Ordinal)))
        {
            var schemaId = received.Json.GetProperty("schema").GetString()!;
            var schema = await ContractSchemas.LoadAsync(ContractSchemas.FileFor(schemaId));
            var errors = schema.Validate(received.Text);
            Assert.True(errors.Count == 0,
                $"{received.Topic} does not match {schemaId}:\n{string.Join('\n', errors.Select(e => $"{e.Path}: {e.Kind}"))}\n{received.Text}");
            schemasSeen.Add(schemaId);
        }

        // The condition samples cover every optional field and event kind, not just the schema ids.
        var conditions = subscriber.Received.Where(r => r.Topic == m.Condition("vibration")).Select(r => r.Json).ToList();
        Assert.Contains(conditions, c => c.TryGetProperty("anomalyScore", out _) && c.TryGetProperty("bands", out _)
            && c.TryGetProperty("hoursToThreshold", out _) && c.GetProperty("isoClass").GetString() == "II");
        var eventTypes = subscriber.Received.Where(r => r.Topic == m.Events).Select(r => r.Json.GetProperty("type").GetString()).ToHashSet();
        Assert.Superset(new HashSet<string?> { "alarmRaised", "alarmCleared", "maintenanceDue", "maintenanceOverdue", "maintenanceReset", "unmappedStateCode", "invalidStateInput", "orderCompleted" }, eventTypes);

        Assert.Equal(
            ["edgeops.alarms/1", "edgeops.cmd-reply/1", "edgeops.condition/1", "edgeops.counts/1", "edgeops.event/1", "edgeops.kpi/1",
                "edgeops.maintenance/1", "edgeops.order/1", "edgeops.shift/1", "edgeops.state/1", "edgeops.status/1"],
            schemasSeen.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task EveryCommandVerb_HasItsSchema_AndItsChannelInTheAsyncApiDocument()
    {
        var asyncApi = await File.ReadAllTextAsync(Path.Combine(ContractSchemas.Directory, "..", "asyncapi.yaml"));
        foreach (var verb in MqttTopics.CommandVerbs)
        {
            var file = $"cmd-{verb}.json";
            var schema = await ContractSchemas.LoadAsync(Path.Combine(ContractSchemas.Directory, file));
            Assert.False(schema.AllowAdditionalProperties, $"{file} must refuse unknown fields, as the gateway does");
            Assert.Contains($"address: edgeops/v1/{{site}}/{{area}}/{{line}}/{{machine}}/cmd/{verb}\n", asyncApi.ReplaceLineEndings("\n"), StringComparison.Ordinal);
            Assert.Contains($"$ref: 'schemas/{file}'", asyncApi, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("assign-reason", """{"requestId":"r","reasonCode":"jam","stopStartedAt":"2026-11-26T06:30:00Z"}""", true)]
    [InlineData("assign-reason", """{"reasonCode":"jam","stopId":12,"operator":"badge-17","comment":"cleared"}""", true)]
    [InlineData("assign-reason", """{"requestId":"r"}""", false)]
    [InlineData("assign-reason", """{"reasonCode":"jam","reason":"x"}""", false)]
    [InlineData("assign-reason", """{"reasonCode":"jam","stopId":-4}""", false)]
    [InlineData("planned-stop", """{"active":true,"reasonCode":"maintenance"}""", true)]
    [InlineData("planned-stop", """{"active":"yes"}""", false)]
    [InlineData("planned-stop", """{"reasonCode":"maintenance"}""", false)]
    [InlineData("reset-maintenance", """{"item":"lubrication","operator":"j.doe"}""", true)]
    [InlineData("reset-maintenance", """{"item":""}""", false)]
    [InlineData("reset-maintenance", """{"counter":"runHours"}""", false)]
    [InlineData("reset-maintenance", """{"item":"lubrication","by":"x"}""", false)]
    [InlineData("reset-maintenance", """{"item":"lubrication","ts":"2026-11-26T06:30:00.123Z","expiresAt":"2026-11-26T07:35:00+01:00"}""", true)]
    [InlineData("planned-stop", """{"active":true,"ts":"yesterday"}""", false)]
    [InlineData("assign-reason", """{"reasonCode":"jam","expiresAt":"2026-11-26T06:30:00"}""", false)]
    [InlineData("start-order", """{"requestId":"po-1","orderId":"PO-4711","product":"bracket-a","quantity":500}""", true)]
    [InlineData("start-order", """{"orderId":"PO-4711","product":"bracket-a","quantity":500,"due":"2026-11-26T14:00:00+01:00","operator":"maria"}""", true)]
    [InlineData("start-order", """{"orderId":"PO-4711","product":"bracket-a"}""", false)]
    [InlineData("start-order", """{"orderId":"PO-4711","product":"bracket-a","quantity":0}""", false)]
    [InlineData("start-order", """{"orderId":"PO-4711","product":"bracket-a","quantity":-5}""", false)]
    [InlineData("start-order", """{"orderId":"PO-4711","product":"bracket-a","quantity":2.5}""", false)]
    [InlineData("start-order", """{"orderId":"PO-4711","product":"bracket-a","quantity":"500"}""", false)]
    [InlineData("start-order", """{"orderId":"PO\n4711","product":"bracket-a","quantity":5}""", false)]
    [InlineData("start-order", """{"orderId":"PO\u00004711","product":"bracket-a","quantity":5}""", false)]
    [InlineData("start-order", """{"orderId":"   ","product":"bracket-a","quantity":5}""", false)]
    [InlineData("start-order", """{"orderId":"12345678901234567890123456789012345678901234567890123456789012345","product":"bracket-a","quantity":5}""", false)]
    [InlineData("start-order", """{"orderId":"1234567890123456789012345678901234567890123456789012345678901234","product":"bracket-a","quantity":5}""", true)]
    [InlineData("start-order", """{"orderId":"PO-4711","product":" ","quantity":5}""", false)]
    [InlineData("start-order", """{"orderId":"PO-4711","product":"bracket-a","quantity":5,"due":"tomorrow"}""", false)]
    [InlineData("start-order", """{"orderId":"PO-4711","product":"bracket-a","quantity":5,"scope":"line"}""", false)]
    [InlineData("complete-order", """{}""", true)]
    [InlineData("complete-order", """{"requestId":"c-1","orderId":"PO-4711","operator":"maria"}""", true)]
    [InlineData("complete-order", """{"orderId":""}""", false)]
    [InlineData("complete-order", """{"orderId":"PO-4711","quantity":5}""", false)]
    [InlineData("pause-order", """{"orderId":"PO-4711"}""", true)]
    [InlineData("resume-order", """{"orderId":"PO\t4711"}""", false)]
    public async Task CommandSchemas_AndTheGatewaysValidation_AgreeOnWhatIsAccepted(string verb, string payload, bool valid)
    {
        var schema = await ContractSchemas.LoadAsync(Path.Combine(ContractSchemas.Directory, $"cmd-{verb}.json"));
        var schemaSays = schema.Validate(payload).Count == 0;
        var topic = MqttTopics.ParseCommand(Samples.Machine().Command(verb))!;
        var parsed = Mqtt.Commands.CommandParser.TryParse(topic, System.Text.Encoding.UTF8.GetBytes(payload), DateTimeOffset.UtcNow, out var error, out _);

        Assert.Equal(valid, schemaSays);
        Assert.True(valid == (parsed is not null), $"parser: {error}");
    }

    [Fact]
    public async Task OrderEvents_WithoutTheirOrderObject_AreRefusedByTheEventSchema_AndTheAsyncApiNamesOrderCompleted()
    {
        // The gateway's own orderCompleted event (OrderSamples maps through EnginePayloads) validates; the same event
        // stripped of its order does not: a consumer may rely on every order event carrying the order's record.
        var completed = OrderSamples.All(Samples.Machine())
            .Select(m => System.Text.Json.Nodes.JsonNode.Parse(m.RenderPayload(1))!.AsObject())
            .First(j => (string?)j["type"] == "orderCompleted");
        var schema = await ContractSchemas.LoadAsync(ContractSchemas.FileFor(PayloadSchemas.Event));
        Assert.Empty(schema.Validate(completed.ToJsonString()));

        var bare = completed.DeepClone().AsObject();
        bare.Remove("order");
        foreach (var type in new[] { "orderStarted", "orderPaused", "orderResumed", "orderCompleted", "orderRevised" })
        {
            bare["type"] = type;
            Assert.NotEmpty(schema.Validate(bare.ToJsonString()));
        }

        bare["type"] = "stateChanged";
        Assert.Empty(schema.Validate(bare.ToJsonString()));

        var asyncApi = (await File.ReadAllTextAsync(Path.Combine(ContractSchemas.Directory, "..", "asyncapi.yaml"))).ReplaceLineEndings("\n");
        Assert.Contains("      orderCompleted: {$ref: '#/components/messages/orderCompleted'}\n", asyncApi, StringComparison.Ordinal);
        Assert.Contains("      name: orderCompleted\n", asyncApi, StringComparison.Ordinal);
        Assert.Contains("order: {$ref: 'schemas/order.json#/definitions/order'}", asyncApi, StringComparison.Ordinal);
    }
}
