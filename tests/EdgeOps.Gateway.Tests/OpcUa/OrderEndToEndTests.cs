using System.Globalization;
using EdgeOps.OpcUa.Client;
using EdgeOps.OpcUa.Types;
using EdgeOps.Publishing.Tests.Support;
using EdgeOps.TestSupport.Gateway;
using EdgeOps.TestSupport.Mosquitto;
using EdgeOps.TestSupport.Mqtt;
using EdgeOps.TestSupport.OpcUa;

namespace EdgeOps.Gateway.Tests.OpcUa;

/// <summary>
/// Production orders through the real gateway: the order id and the product code arrive on OPC UA nodes of the
/// node-opcua PLC (an HMI writes Plc.OrderId and Plc.ProductCode), the parts on its counter; orders start and complete,
/// and central systems see them on MQTT (real Mosquitto): the retained <c>.../press/order</c> topic and the
/// orderStarted / orderCompleted events, every payload valid against docs/contract. An order id the engine refuses
/// (too long) is reported naming the signal and starts nothing.
/// </summary>
public sealed class OrderEndToEndTests : IAsyncLifetime
{
    private const string Press = "edgeops/v1/plant-e2e/orders/line-o/press";
    private readonly string _data = Directory.CreateTempSubdirectory("edgeops-orders-e2e-").FullName;
    private readonly OpcUaTestServer _server = new(new OpcUaTestServerOptions { Counters = 1 });
    private MosquittoBroker _broker = null!;

    public async Task InitializeAsync()
    {
        _broker = await MosquittoBroker.StartAsync();
        await _server.StartAsync();
        using var output = new StringWriter();
        using var error = new StringWriter();
        var trusted = await new EdgeOps.Gateway.Cli.OpcUaTrustCommand().RunAsync([_server.EndpointUrl, "--yes", "--data", _data], output, error, CancellationToken.None);
        Assert.True(trusted == 0, error.ToString());
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _broker.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }

    [Fact]
    public async Task OrderIdOnOpcUaNode_StartsAndCompletesOrders_SeenOnMqtt()
    {
        var config = Path.Combine(_data, "orders.yaml");
        await File.WriteAllTextAsync(config, $$"""
            site: plant-e2e
            area: orders
            line: line-o
            timeZone: UTC
            shifts:
              - { name: day, start: "00:00", end: "12:00", days: [mon, tue, wed, thu, fri, sat, sun] }
              - { name: night, start: "12:00", end: "00:00", days: [mon, tue, wed, thu, fri, sat, sun] }
            products:
              - { id: bracket-a, name: Bracket A, code: 1, idealCycleTime: 0.1s }
              - { id: bracket-b, name: Bracket B, code: 2, idealCycleTime: 0.2s, targetPerHour: 15000 }
            sources:
              opcua:
                endpoints:
                  - { name: plc1, url: "{{_server.EndpointUrl}}", checkServerHostName: false, publishingInterval: 100ms }
            machines:
              - id: press
                idealCycleTime: 0.1s
                staleAfter: 1h
                signals:
                  - { name: parts, role: total, countMode: totalizer, source: { opcua: { endpoint: plc1, node: "s=Plc.PartCount", namespaceUri: "{{_server.NamespaceUri}}" } } }
                  - { name: running, role: running, source: { opcua: { endpoint: plc1, node: "s=Plc.Running", namespaceUri: "{{_server.NamespaceUri}}" } } }
                  - { name: order, role: order, source: { opcua: { endpoint: plc1, node: "s=Plc.OrderId", namespaceUri: "{{_server.NamespaceUri}}" } } }
                  - { name: product, role: product, source: { opcua: { endpoint: plc1, node: "s=Plc.ProductCode", namespaceUri: "{{_server.NamespaceUri}}" } } }
            """);
        await using var subscriber = await TestSubscriber.StartAsync(_broker.Host, _broker.Port, Press + "/#");
        using var gateway = await GatewayProcess.StartAsync(
        [
            "--config", config, "--data", _data,
            $"--EdgeOps:Mqtt:Broker=mqtt://127.0.0.1:{_broker.Port.ToString(CultureInfo.InvariantCulture)}",
            "--EdgeOps:Mqtt:MinKpiInterval=00:00:00.500",
            "--EdgeOps:ConsoleSummaryInterval=00:00:00",
        ]);
        await subscriber.WaitForAsync(r => r.Topic == Press + "/state" && r.Json.GetProperty("state").GetString() == "running",
            TimeSpan.FromSeconds(60), "the press running");

        await using var hmi = new OpcUaClient(new OpcUaClientOptions { EndpointUrl = _server.EndpointUrl });
        await hmi.ConnectAsync();
        var ns = (ushort)hmi.NamespaceIndex(_server.NamespaceUri);
        var orderNode = NodeId.FromString("Plc.OrderId", ns);
        var productNode = NodeId.FromString("Plc.ProductCode", ns);

        // Product 2, then the first order: it starts with that product, and counts.
        await hmi.WriteValueAsync(productNode, Variant.From(2));
        await subscriber.WaitForAsync(r => IsEvent(r, "productChanged") && r.Json.GetProperty("details").GetProperty("product").GetString() == "bracket-b",
            TimeSpan.FromSeconds(30), "the product change to bracket-b");
        await hmi.WriteValueAsync(orderNode, Variant.From("WO-1001"));
        var started = await subscriber.WaitForAsync(r => IsEvent(r, "orderStarted") && OrderId(r) == "WO-1001", TimeSpan.FromSeconds(30), "WO-1001 started");
        Assert.Equal("bracket-b", started.Json.GetProperty("order").GetProperty("product").GetString());
        Assert.Equal("signal:order", started.Json.GetProperty("order").GetProperty("startedBy").GetString());
        await subscriber.WaitForAsync(r => r.Topic == Press + "/order" && OrderId(r) == "WO-1001"
            && r.Json.GetProperty("order").GetProperty("status").GetString() == "running"
            && r.Json.GetProperty("order").GetProperty("counts").GetProperty("total").GetInt64() >= 10,
            TimeSpan.FromSeconds(30), "WO-1001 running with parts on the order topic");

        // The next order id completes WO-1001 and starts WO-1002.
        await hmi.WriteValueAsync(orderNode, Variant.From("WO-1002"));
        var completed = await subscriber.WaitForAsync(r => IsEvent(r, "orderCompleted") && OrderId(r) == "WO-1001", TimeSpan.FromSeconds(30), "WO-1001 completed");
        var first = completed.Json.GetProperty("order");
        Assert.Equal("completed", first.GetProperty("status").GetString());
        Assert.True(first.GetProperty("counts").GetProperty("total").GetInt64() >= 10, first.ToString());
        Assert.True(first.GetProperty("cycleTimeS").GetDouble() > 0, first.ToString());
        Assert.True(first.GetProperty("productionTimeS").GetDouble() <= first.GetProperty("cycleTimeS").GetDouble() + 0.001, first.ToString());
        await subscriber.WaitForAsync(r => IsEvent(r, "orderStarted") && OrderId(r) == "WO-1002", TimeSpan.FromSeconds(30), "WO-1002 started");

        // An order id of 70 characters is refused naming the signal: WO-1002 runs on.
        await hmi.WriteValueAsync(orderNode, Variant.From(new string('X', 70)));
        await subscriber.WaitForAsync(r => IsEvent(r, "invalidStateInput") && r.Json.GetProperty("signal").GetString() == "order",
            TimeSpan.FromSeconds(30), "the refused order id reported");
        Assert.Contains("at most 64", gateway.Output, StringComparison.Ordinal);

        // An empty order id completes the running order; the retained topic then shows it completed.
        await hmi.WriteValueAsync(orderNode, Variant.From(string.Empty));
        await subscriber.WaitForAsync(r => IsEvent(r, "orderCompleted") && OrderId(r) == "WO-1002", TimeSpan.FromSeconds(30), "WO-1002 completed");
        await using (var late = await TestSubscriber.StartAsync(_broker.Host, _broker.Port, Press + "/order"))
        {
            var retained = await late.WaitForAsync(r => r.Retain, TimeSpan.FromSeconds(10), "the retained order");
            Assert.Equal(("WO-1002", "completed"), (OrderId(retained), retained.Json.GetProperty("order").GetProperty("status").GetString()));
        }

        Assert.DoesNotContain(subscriber.Received, r => (IsEvent(r, "orderStarted") || IsEvent(r, "orderCompleted")) && OrderId(r).StartsWith('X'));
        Assert.False(gateway.HasExited);
        foreach (var message in subscriber.Received.Where(r => !r.Topic.Contains("/cmd/", StringComparison.Ordinal)))
        {
            var schemaId = message.Json.GetProperty("schema").GetString()!;
            var errors = (await ContractSchemas.LoadAsync(ContractSchemas.FileFor(schemaId))).Validate(message.Text);
            Assert.True(errors.Count == 0, $"{message.Topic} does not match {schemaId}:\n{string.Join('\n', errors.Select(e => $"{e.Path}: {e.Kind}"))}\n{message.Text}");
        }
    }

    private static bool IsEvent(ReceivedMessage r, string type) =>
        r.Topic == Press + "/events" && r.Json.GetProperty("type").GetString() == type;

    private static string OrderId(ReceivedMessage r) =>
        r.Json.TryGetProperty("order", out var order) ? order.GetProperty("orderId").GetString()! : string.Empty;
}
