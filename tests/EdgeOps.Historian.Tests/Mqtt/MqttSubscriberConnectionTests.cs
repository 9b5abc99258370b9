using System.Globalization;
using System.Text;
using EdgeOps.Historian.Mqtt;
using EdgeOps.TestSupport.Mosquitto;
using MQTTnet;
using MQTTnet.Protocol;

namespace EdgeOps.Historian.Tests.Mqtt;

/// <summary>The historian's MQTT 5 receive path against a real Mosquitto.</summary>
public sealed class MqttSubscriberConnectionTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Connection_ReceivesEveryQos1MessageInOrder_AndWhatWasAcknowledgedIsNotRedelivered()
    {
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions { MaxInflightMessages = 0 });
        var settings = Settings(broker, "conn-order");
        using var publisher = await PublisherAsync(broker);

        var first = new Collector();
        await using (var connection = await MqttSubscriberConnection.ConnectAsync(settings, CancellationToken.None))
        {
            using var stop = new CancellationTokenSource();
            var run = connection.RunAsync(first.Handler, stop.Token);
            await connection.SubscribeAsync("edgeops/v1/#", 1, Wait, CancellationToken.None);
            Assert.False(connection.SessionPresent);

            await PublishAsync(publisher, 2_000);
            // In steps below the receive maximum (1,000): the broker sends no more until some are acknowledged.
            for (var chunk = 0; chunk < 2_000; chunk += 500)
            {
                var received = await first.TakeAsync(500, Wait);
                for (var i = 0; i < received.Count; i++)
                {
                    Assert.Equal(Topic(chunk + i), received[i].Topic);
                    Assert.Equal(Payload(chunk + i), received[i].Payload);
                    Assert.Equal(1, received[i].Delivery.QualityOfService);
                    received[i].Delivery.Acknowledge();
                }
            }

            await stop.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
            await connection.DisconnectAsync(CancellationToken.None);
            Assert.Equal(2_000, connection.AcknowledgementsSent);
        }

        var second = new Collector();
        await using var again = await MqttSubscriberConnection.ConnectAsync(settings, CancellationToken.None);
        Assert.True(again.SessionPresent);
        _ = again.RunAsync(second.Handler, CancellationToken.None);
        await PublishAsync(publisher, 1, start: 2_000);
        var next = await second.TakeAsync(1, Wait);
        Assert.Equal(Payload(2_000), next[0].Payload);
        Assert.Equal(0, await second.CountArrivingAsync(TimeSpan.FromMilliseconds(500)));
    }

    [Fact]
    public async Task Connection_DroppedWithMessagesUnacknowledged_BrokerRedeliversExactlyThoseAsDuplicates()
    {
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions { MaxInflightMessages = 0 });
        var settings = Settings(broker, "conn-redeliver");
        using var publisher = await PublisherAsync(broker);
        var first = new Collector();
        var connection = await MqttSubscriberConnection.ConnectAsync(settings, CancellationToken.None);
        var run = connection.RunAsync(first.Handler, CancellationToken.None);
        await connection.SubscribeAsync("edgeops/v1/#", 1, Wait, CancellationToken.None);
        await PublishAsync(publisher, 10);
        var received = await first.TakeAsync(10, Wait);
        foreach (var message in received.Take(5))
        {
            message.Delivery.Acknowledge();
        }

        // Let the write loop send the five PUBACKs, then drop the TCP connection without DISCONNECT (a crash).
        await Task.Delay(300);
        await connection.DisposeAsync();
        await Assert.ThrowsAnyAsync<Exception>(() => run);
        Assert.False(connection.IsOpen);

        var second = new Collector();
        await using var again = await MqttSubscriberConnection.ConnectAsync(settings, CancellationToken.None);
        _ = again.RunAsync(second.Handler, CancellationToken.None);
        var redelivered = await second.TakeAsync(5, Wait);
        Assert.Equal(Enumerable.Range(5, 5).Select(Payload), redelivered.Select(m => m.Payload));
        Assert.All(redelivered, m => Assert.True(m.Delivery.Duplicate));
        Assert.Equal(0, await second.CountArrivingAsync(TimeSpan.FromMilliseconds(500)));
    }

    [Fact]
    public async Task ReceiveMaximum_BrokerSendsNoMoreThanThatUnacknowledged_AndMoreOnceAcknowledged()
    {
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions { MaxInflightMessages = 0 });
        var settings = Settings(broker, "conn-window") with { ReceiveMaximum = 5 };
        using var publisher = await PublisherAsync(broker);
        var collector = new Collector();
        await using var connection = await MqttSubscriberConnection.ConnectAsync(settings, CancellationToken.None);
        _ = connection.RunAsync(collector.Handler, CancellationToken.None);
        await connection.SubscribeAsync("edgeops/v1/#", 1, Wait, CancellationToken.None);

        await PublishAsync(publisher, 12);
        var window = await collector.TakeAsync(5, Wait);
        Assert.Equal(0, await collector.CountArrivingAsync(TimeSpan.FromMilliseconds(700)));

        foreach (var message in window)
        {
            message.Delivery.Acknowledge();
        }

        var more = await collector.TakeAsync(5, Wait);
        Assert.Equal(Enumerable.Range(5, 5).Select(Payload), more.Select(m => m.Payload));
    }

    [Fact]
    public async Task KeepAlive_IdleConnection_IsKeptOpenByPings()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        // Mosquitto drops a client that sends nothing for 1.5 keep-alive periods.
        var settings = Settings(broker, "conn-idle") with { KeepAlive = TimeSpan.FromSeconds(1) };
        using var publisher = await PublisherAsync(broker);
        var collector = new Collector();
        await using var connection = await MqttSubscriberConnection.ConnectAsync(settings, CancellationToken.None);
        var run = connection.RunAsync(collector.Handler, CancellationToken.None);
        await connection.SubscribeAsync("edgeops/v1/#", 1, Wait, CancellationToken.None);

        await Task.Delay(TimeSpan.FromSeconds(4));
        Assert.False(run.IsCompleted, run.Exception?.ToString());
        await PublishAsync(publisher, 1);
        await collector.TakeAsync(1, Wait);
        Assert.True(connection.IsOpen);
    }

    [Fact]
    public async Task Connect_WithWrongPassword_FailsNamingTheBrokerAndTheReason()
    {
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions
        {
            Users = new Dictionary<string, string> { ["historian"] = "right" },
        });
        var settings = Settings(broker, "conn-auth") with { Username = "historian", Password = "wrong" };

        var error = await Assert.ThrowsAsync<MqttRefusedException>(() => MqttSubscriberConnection.ConnectAsync(settings, CancellationToken.None));

        Assert.Contains($"127.0.0.1:{broker.Port}", error.Message, StringComparison.Ordinal);
        Assert.True(error.ReasonCode is 0x86 or 0x87, error.Message);
        Assert.Contains(error.ReasonCode == 0x86 ? "bad user name or password" : "not authorized", error.Message, StringComparison.Ordinal);

        await using var right = await MqttSubscriberConnection.ConnectAsync(settings with { Password = "right" }, CancellationToken.None);
        Assert.True(right.IsOpen);
    }

    internal static string Topic(int i) => string.Create(CultureInfo.InvariantCulture, $"edgeops/v1/p/a/l/m{i % 7}/counts");

    [Fact]
    public async Task MaximumPacketSize_BrokerDropsALargerMessage_AndDeliversTheOnesAroundIt()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        var settings = Settings(broker, "conn-max-packet") with { MaximumPacketSize = 4096 };
        using var publisher = await PublisherAsync(broker);
        var collector = new Collector();
        await using var connection = await MqttSubscriberConnection.ConnectAsync(settings, CancellationToken.None);
        _ = connection.RunAsync(collector.Handler, CancellationToken.None);
        await connection.SubscribeAsync("edgeops/v1/#", 1, Wait, CancellationToken.None);

        foreach (var (topic, size) in new[] { ("edgeops/v1/small-1", 100), ("edgeops/v1/too-big", 64 * 1024), ("edgeops/v1/small-2", 100) })
        {
            await publisher.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(new byte[size])
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
        }

        // The broker honoured the size asked for in CONNECT: the 64 KiB message never reached the connection.
        var received = await collector.TakeAsync(2, Wait);
        Assert.Equal(["edgeops/v1/small-1", "edgeops/v1/small-2"], received.Select(r => r.Topic));
        Assert.Equal(0, await collector.CountArrivingAsync(TimeSpan.FromMilliseconds(500)));
        Assert.True(connection.IsOpen);
    }

    internal static string Payload(int i) => string.Create(CultureInfo.InvariantCulture, $"{{\"n\":{i},\"pad\":\"{new string('x', i % 300)}\"}}");

    private static MqttSubscriberSettings Settings(MosquittoBroker broker, string clientId) => new()
    {
        Host = broker.Host,
        Port = broker.Port,
        ClientId = clientId,
        SessionExpiry = TimeSpan.FromMinutes(5),
        ReceiveMaximum = 1_000,
        KeepAlive = TimeSpan.FromSeconds(10),
        Timeout = TimeSpan.FromSeconds(10),
    };

    private static async Task<IMqttClient> PublisherAsync(MosquittoBroker broker)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer(broker.Host, broker.Port)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500).WithClientId("publisher-" + Guid.NewGuid().ToString("N")).Build());
        return client;
    }

    private static async Task PublishAsync(IMqttClient publisher, int count, int start = 0)
    {
        for (var i = start; i < start + count; i++)
        {
            await publisher.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(Topic(i))
                .WithPayload(Encoding.UTF8.GetBytes(Payload(i))).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
        }
    }
}
