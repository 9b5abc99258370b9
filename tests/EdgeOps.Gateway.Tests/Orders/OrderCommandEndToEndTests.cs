using System.Globalization;
using System.Text.Json;
using EdgeOps.Publishing.Tests.Support;
using EdgeOps.TestSupport;
using EdgeOps.TestSupport.Gateway;
using EdgeOps.TestSupport.Mosquitto;
using EdgeOps.TestSupport.Mqtt;
using Xunit.Abstractions;

namespace EdgeOps.Gateway.Tests.Orders;

/// <summary>
/// The order commands (<c>cmd/start-order</c>, <c>complete-order</c>, <c>pause-order</c>, <c>resume-order</c>) through the
/// real gateway process, its simulated demo line (with products) and a Mosquitto that knows its users: the gateway logs
/// in as its own user, the MES as another. Bad input is refused naming the field and changes nothing; good commands
/// start, pause, resume and complete the order the gateway then publishes on its order topic and as events.
/// </summary>
public sealed class OrderCommandEndToEndTests(ITestOutputHelper log) : IAsyncLifetime
{
    // Monday 2026-11-23, 07:00 in Berlin: the early shift runs.
    private const string Start = "2026-11-23T06:00:00Z";
    private const string Line = "edgeops/v1/plant-leipzig/body-shop/line-1";
    private const string GatewayUser = "gateway";
    private const string GatewayPassword = "gateway-test-password";
    private const string MesUser = "mes";
    private const string MesPassword = "mes-test-password";

    private readonly string _dir = Directory.CreateTempSubdirectory("edgeops-orders-").FullName;
    private MosquittoBroker _broker = null!;
    private GatewayProcess _gateway = null!;
    private TestSubscriber _mes = null!;
    private string[] _products = [];

    public async Task InitializeAsync()
    {
        _broker = await MosquittoBroker.StartAsync(new MosquittoOptions
        {
            Users = new Dictionary<string, string> { [GatewayUser] = GatewayPassword, [MesUser] = MesPassword },
        });
        var demo = await File.ReadAllTextAsync(RepoPaths.File("firmware-config", "lines", "demo-line.yaml"));
        var config = Path.Combine(_dir, "line.yaml");
        await File.WriteAllTextAsync(config, DemoLineWithProducts.From(demo));
        _gateway = await GatewayProcess.StartAsync(
            [
                "--config", config,
                "--data", Path.Combine(_dir, "data"),
                $"--EdgeOps:Simulator:Start={Start}",
                "--EdgeOps:Simulator:Speed=30",
                "--EdgeOps:ConsoleSummaryInterval=00:00:00",
                "--Logging:LogLevel:Default=Warning",
                $"--EdgeOps:Mqtt:Broker=mqtt://127.0.0.1:{_broker.Port}",
                "--EdgeOps:Mqtt:ReconnectMaxDelay=00:00:01",
            ],
            new Dictionary<string, string?> { ["EdgeOps__Mqtt__Username"] = GatewayUser, ["EdgeOps__Mqtt__Password"] = GatewayPassword });
        _mes = await TestSubscriber.StartAsync(_broker.Host, _broker.Port, Line + "/#", b => b.WithCredentials(MesUser, MesPassword));
        _products = [.. (await _gateway.GetJsonAsync("/api/products")).EnumerateArray().Select(p => p.GetProperty("id").GetString()!)];
        Assert.True(_products.Length >= 2, "the test line needs two products");
    }

    public async Task DisposeAsync()
    {
        if (_mes is not null)
        {
            await _mes.DisposeAsync();
        }

        _gateway?.Dispose();
        if (_broker is not null)
        {
            await _broker.DisposeAsync();
        }

        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task BadOrderCommands_AreRefusedNamingTheField_AndChangeNothing()
    {
        var tooLong = new string('7', 65);
        var refusals = new (string Machine, string Verb, object Payload, string[] Expected)[]
        {
            ("press", "start-order", new { requestId = "bad-long", orderId = tooLong, product = _products[0], quantity = 10 }, ["field 'orderId'", "65 characters; at most 64"]),
            ("press", "start-order", new { requestId = "bad-ctrl", orderId = "PO\n4711", product = _products[0], quantity = 10 }, ["field 'orderId' contains a control character"]),
            ("press", "start-order", new { requestId = "bad-nul", orderId = "PO\u00004711", product = _products[0], quantity = 10 }, ["field 'orderId' contains a control character"]),
            ("press", "start-order", new { requestId = "bad-product", orderId = "PO-1", product = "bracket-x", quantity = 10 }, ["field 'product'", "bracket-x", .. _products]),
            ("press", "start-order", new { requestId = "bad-zero", orderId = "PO-1", product = _products[0], quantity = 0 }, ["field 'quantity'", "greater than 0", "found 0"]),
            ("press", "start-order", new { requestId = "bad-negative", orderId = "PO-1", product = _products[0], quantity = -3 }, ["field 'quantity'", "found -3"]),
            ("press", "start-order", new { requestId = "bad-missing", orderId = "PO-1", product = _products[0] }, ["field 'quantity' is required"]),
            ("lathe", "start-order", new { requestId = "bad-machine", orderId = "PO-1", product = _products[0], quantity = 5 }, ["field 'machine'", "unknown machine 'lathe'"]),
            ("press", "complete-order", new { requestId = "bad-complete" }, ["field 'orderId'", "no order is running"]),
            ("press", "complete-order", new { requestId = "bad-complete-id", orderId = "PO-1" }, ["field 'orderId'", "PO-1"]),
            ("press", "pause-order", new { requestId = "bad-pause" }, ["field 'orderId'"]),
            ("press", "resume-order", new { requestId = "bad-resume" }, ["field 'orderId'"]),
        };

        foreach (var (machine, verb, payload, expected) in refusals)
        {
            var reply = await CommandAsync(machine, verb, payload);
            Assert.False(reply.GetProperty("ok").GetBoolean(), reply.ToString());
            var error = reply.GetProperty("error").GetString()!;
            log.WriteLine($"{verb} {JsonSerializer.Serialize(payload)} -> {error}");
            foreach (var part in expected)
            {
                Assert.Contains(part, error, StringComparison.Ordinal);
            }
        }

        // Nothing half-applied: no order, no product, no order topic, no order or product event.
        var press = await PressAsync();
        Assert.Equal(JsonValueKind.Null, press.GetProperty("order").ValueKind);
        Assert.Equal(JsonValueKind.Null, press.GetProperty("productId").ValueKind);
        Assert.DoesNotContain(_mes.Received, r => r.Topic.EndsWith("/order", StringComparison.Ordinal));
        Assert.DoesNotContain(_mes.Received, r => r.Topic == Line + "/press/events"
            && r.Json.GetProperty("type").GetString() is { } type && (type.StartsWith("order", StringComparison.Ordinal) || type == "productChanged"));
        await AssertMatchContractAsync();
    }

    [Fact]
    public async Task StartPauseResumeComplete_ThroughMqtt_PublishTheOrderWithItsProgress_AndItsCompletion()
    {
        // Due an hour of simulated time after the start (two minutes here): with this quantity it cannot make it.
        var due = DateTimeOffset.Parse(Start, CultureInfo.InvariantCulture).AddHours(2);
        var started = await CommandAsync("press", "start-order",
            new { requestId = "po-1", orderId = "PO-4711", product = _products[0], quantity = 100_000, due = Rfc3339(due), @operator = "shift-lead" });
        Assert.True(started.GetProperty("ok").GetBoolean(), started.ToString());
        Assert.Equal("shift-lead", started.GetProperty("operator").GetString());

        // The retained order topic: the order, its product, and progress once parts are counted for it.
        var running = await _mes.WaitForAsync(r => r.Topic == Line + "/press/order" && Order(r).GetProperty("status").GetString() == "running"
            && Order(r).GetProperty("counts").GetProperty("good").GetInt64() > 0 && Order(r).TryGetProperty("projectedCompletion", out _),
            TimeSpan.FromSeconds(90), "a running order with good parts and a projection");
        var order = Order(running);
        Assert.Equal("PO-4711", order.GetProperty("orderId").GetString());
        Assert.Equal(_products[0], order.GetProperty("product").GetString());
        Assert.Equal(100_000, order.GetProperty("quantity").GetInt64());
        Assert.False(order.GetProperty("onTime").GetBoolean(), order.ToString());
        Assert.Equal("mqtt:shift-lead", order.GetProperty("startedBy").GetString());
        Assert.True(order.GetProperty("progress").GetDouble() > 0);
        Assert.Equal(_products[0], (await PressAsync()).GetProperty("productId").GetString());

        // Pause and resume: the order topic says so.
        Assert.True((await CommandAsync("press", "pause-order", new { requestId = "po-1-pause", orderId = "PO-4711" })).GetProperty("ok").GetBoolean());
        await _mes.WaitForAsync(r => r.Topic == Line + "/press/order" && Order(r).GetProperty("status").GetString() == "paused",
            TimeSpan.FromSeconds(30), "the paused order");
        var resumed = await CommandAsync("press", "resume-order", new { requestId = "po-1-resume" });
        Assert.True(resumed.GetProperty("ok").GetBoolean(), resumed.ToString());

        // Completing another order than the one running is refused, naming the field; the right one completes.
        var wrong = await CommandAsync("press", "complete-order", new { requestId = "po-2-complete", orderId = "PO-9999" });
        Assert.False(wrong.GetProperty("ok").GetBoolean());
        Assert.Contains("field 'orderId'", wrong.GetProperty("error").GetString(), StringComparison.Ordinal);
        var completed = await CommandAsync("press", "complete-order", new { requestId = "po-1-complete", orderId = "PO-4711", @operator = "shift-lead" });
        Assert.True(completed.GetProperty("ok").GetBoolean(), completed.ToString());

        var done = await _mes.WaitForAsync(r => r.Topic == Line + "/press/events" && r.Json.GetProperty("type").GetString() == "orderCompleted",
            TimeSpan.FromSeconds(30), "the orderCompleted event");
        var record = Order(done);
        Assert.Equal("PO-4711", record.GetProperty("orderId").GetString());
        Assert.Equal("completed", record.GetProperty("status").GetString());
        Assert.Equal("mqtt:shift-lead", record.GetProperty("completedBy").GetString());
        Assert.True(record.GetProperty("cycleTimeS").GetDouble() >= record.GetProperty("productionTimeS").GetDouble());
        Assert.True(record.GetProperty("pausedTimeS").GetDouble() > 0, record.ToString());
        Assert.Contains(_mes.Received, r => r.Topic == Line + "/press/events" && r.Json.GetProperty("type").GetString() == "orderPaused");
        Assert.Contains(_mes.Received, r => r.Topic == Line + "/press/events" && r.Json.GetProperty("type").GetString() == "orderResumed");
        // The board's snapshot (every 250 ms) shows no order on the press any more.
        await _gateway.WaitForJsonAsync("/api/line", l => l.GetProperty("machines").EnumerateArray()
            .Single(m => m.GetProperty("machineId").GetString() == "press").GetProperty("order").ValueKind == JsonValueKind.Null, TimeSpan.FromSeconds(10));

        // The same request again (a sender's retry) is answered, not applied: no second completion.
        var again = await CommandAsync("press", "complete-order", new { requestId = "po-1-complete", orderId = "PO-4711" });
        Assert.True(again.GetProperty("duplicate").GetBoolean(), again.ToString());

        // A line order, on the line's own topics.
        var line = await CommandAsync("_line", "start-order", new { requestId = "line-1", orderId = "LO-1", product = _products[1], quantity = 50 });
        Assert.True(line.GetProperty("ok").GetBoolean(), line.ToString());
        var lineOrder = await _mes.WaitForAsync(r => r.Topic == Line + "/_line/order", TimeSpan.FromSeconds(30), "the line's order topic");
        Assert.Equal("line", Order(lineOrder).GetProperty("scope").GetString());
        await _gateway.WaitForJsonAsync("/api/line", l => l.GetProperty("order").ValueKind == JsonValueKind.Object
            && l.GetProperty("order").GetProperty("orderId").GetString() == "LO-1", TimeSpan.FromSeconds(10));

        await AssertMatchContractAsync();
    }

    private static JsonElement Order(ReceivedMessage message) => message.Json.GetProperty("order");

    private static string Rfc3339(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    private async Task<JsonElement> PressAsync() =>
        (await _gateway.GetJsonAsync("/api/line")).GetProperty("machines").EnumerateArray().Single(m => m.GetProperty("machineId").GetString() == "press");

    /// <summary>
    /// Sends a command as the MES user and returns its reply. Sent again while no reply comes: the gateway may not have
    /// subscribed yet when the test starts (a refused command is not remembered; an applied one is answered as a
    /// duplicate, never applied twice).
    /// </summary>
    private async Task<JsonElement> CommandAsync(string machine, string verb, object payload)
    {
        var topic = $"{Line}/{machine}/cmd/{verb}";
        var json = JsonSerializer.Serialize(payload);
        var requestId = JsonDocument.Parse(json).RootElement.GetProperty("requestId").GetString();
        var seen = _mes.Received.Count(r => IsReply(r, topic, requestId));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            await _mes.PublishAsync(topic, json);
            var until = DateTime.UtcNow + TimeSpan.FromSeconds(5);
            while (DateTime.UtcNow < until)
            {
                var replies = _mes.Received.Where(r => IsReply(r, topic, requestId)).ToList();
                if (replies.Count > seen)
                {
                    return replies[seen].Json;
                }

                await Task.Delay(50);
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"no reply on {topic}/reply to {json}\n{_gateway.Output}");
            }
        }
    }

    private static bool IsReply(ReceivedMessage r, string topic, string? requestId) =>
        r.Topic == topic + "/reply" && r.Json.TryGetProperty("requestId", out var id) && id.GetString() == requestId;

    private async Task AssertMatchContractAsync()
    {
        foreach (var message in _mes.Received.Where(r => !r.Topic.Contains("/cmd/", StringComparison.Ordinal) || r.Topic.EndsWith("/reply", StringComparison.Ordinal)))
        {
            var schemaId = message.Json.GetProperty("schema").GetString()!;
            var schema = await ContractSchemas.LoadAsync(ContractSchemas.FileFor(schemaId));
            var errors = schema.Validate(message.Text);
            Assert.True(errors.Count == 0,
                $"{message.Topic} does not match {schemaId}:\n{string.Join('\n', errors.Select(e => $"{e.Path}: {e.Kind}"))}\n{message.Text}");
        }
    }
}
