using EdgeOps.Historian.Mqtt;

namespace EdgeOps.Historian.Tests.Mqtt;

/// <summary>
/// Bytes no correct broker sends: the connection ends with an error that names the broker, the packet and the field,
/// and what was delivered before the bad packet stays delivered. The historian then reconnects (its loop).
/// </summary>
public sealed class MqttSubscriberMalformedInputTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Connect_ToAnMqtt311OnlyBroker_FailsSayingItNeedsMqtt5()
    {
        await using var broker = new ScriptedBroker([0x20, 0x02, 0x00, 0x01]);

        var error = await Assert.ThrowsAsync<MqttRefusedException>(() => ConnectAsync(broker));

        Assert.Contains("does not speak MQTT 5", error.Message, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{broker.Port}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connect_RefusedWithReasonString_CarriesCodeNameAndReason()
    {
        // CONNACK, reason 0x8A banned, property 0x1F reason string "maintenance".
        byte[] connAck = [0x20, 0x11, 0x00, 0x8A, 0x0E, 0x1F, 0x00, 0x0B, .. "maintenance"u8];
        await using var broker = new ScriptedBroker(connAck);

        var error = await Assert.ThrowsAsync<MqttRefusedException>(() => ConnectAsync(broker));

        Assert.Equal(0x8A, error.ReasonCode);
        Assert.Contains("banned (0x8A): maintenance", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publish_WithTopicLengthPastThePacket_EndsTheConnectionNamingTheField_AfterDeliveringTheGoodOneBefore()
    {
        byte[] bad = [0x32, 0x06, 0x00, 0x40, (byte)'a', (byte)'b', 0x00, 0x01];
        await using var broker = new ScriptedBroker(ScriptedBroker.ConnAckSuccess, ScriptedBroker.Publish("edgeops/v1/ok", 1, "{}"), bad);
        var collector = new Collector();
        await using var connection = await ConnectAsync(broker);

        var error = await Assert.ThrowsAsync<MqttProtocolException>(() => connection.RunAsync(collector.Handler, CancellationToken.None));

        Assert.Contains("Malformed PUBLISH", error.Message, StringComparison.Ordinal);
        Assert.Contains("topic length 64", error.Message, StringComparison.Ordinal);
        var delivered = await collector.TakeAsync(1, Wait);
        Assert.Equal("edgeops/v1/ok", delivered[0].Topic);
        Assert.False(connection.IsOpen);
    }

    [Fact]
    public async Task Packet_WithRemainingLengthOfFiveBytes_IsMalformed()
    {
        await using var broker = new ScriptedBroker(ScriptedBroker.ConnAckSuccess, [0x32, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]);
        await using var connection = await ConnectAsync(broker);

        var error = await Assert.ThrowsAsync<MqttProtocolException>(() => connection.RunAsync(new Collector().Handler, CancellationToken.None));

        Assert.Contains("runs past 4 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publish_AtQos2_OnAQos1Subscription_IsAProtocolError()
    {
        byte[] qos2 = [0x34, 0x06, 0x00, 0x01, (byte)'t', 0x00, 0x07, 0x00];
        await using var broker = new ScriptedBroker(ScriptedBroker.ConnAckSuccess, qos2);
        await using var connection = await ConnectAsync(broker);

        var error = await Assert.ThrowsAsync<MqttProtocolException>(() => connection.RunAsync(new Collector().Handler, CancellationToken.None));

        Assert.Contains("QoS 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServerDisconnect_WithReason_EndsTheRunNamingIt()
    {
        await using var broker = new ScriptedBroker(ScriptedBroker.ConnAckSuccess, [0xE0, 0x01, 0x8E]);
        await using var connection = await ConnectAsync(broker);

        var error = await Assert.ThrowsAsync<MqttRefusedException>(() => connection.RunAsync(new Collector().Handler, CancellationToken.None));

        Assert.Contains("session taken over (0x8E)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SilentBroker_AfterKeepAliveAndAHalf_EndsTheRun()
    {
        await using var broker = new ScriptedBroker(ScriptedBroker.ConnAckSuccess);
        await using var connection = await ConnectAsync(broker, TimeSpan.FromSeconds(1));

        var error = await Assert.ThrowsAsync<TimeoutException>(() => connection.RunAsync(new Collector().Handler, CancellationToken.None).WaitAsync(Wait));

        Assert.Contains("keep alive 1 s", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Packet_LargerThanTheMaximumPacketSize_EndsTheConnectionBeforeTheBufferGrows()
    {
        // A PUBLISH header announcing about 200 MB (0x80 0x80 0xAC 0x5F, a variable byte integer): with no cap, the read
        // buffer would grow to hold it.
        await using var broker = new ScriptedBroker(ScriptedBroker.ConnAckSuccess, ScriptedBroker.Publish("edgeops/v1/ok", 1, "{}"),
            [0x32, 0x80, 0x80, 0xAC, 0x5F, 0x00]);
        var collector = new Collector();
        await using var connection = await ConnectAsync(broker);

        var error = await Assert.ThrowsAsync<MqttProtocolException>(() => connection.RunAsync(collector.Handler, CancellationToken.None));

        Assert.Contains("more than the Maximum Packet Size of 1048576 (Historian:Mqtt:MaximumPacketSize)", error.Message, StringComparison.Ordinal);
        Assert.Equal("edgeops/v1/ok", (await collector.TakeAsync(1, Wait))[0].Topic);
        Assert.False(connection.IsOpen);
    }

    private static Task<MqttSubscriberConnection> ConnectAsync(ScriptedBroker broker, TimeSpan? keepAlive = null) =>
        MqttSubscriberConnection.ConnectAsync(new MqttSubscriberSettings
        {
            Host = "127.0.0.1",
            Port = broker.Port,
            ClientId = "scripted",
            KeepAlive = keepAlive ?? TimeSpan.FromSeconds(30),
            Timeout = Wait,
        }, CancellationToken.None);
}
