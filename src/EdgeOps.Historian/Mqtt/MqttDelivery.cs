namespace EdgeOps.Historian.Mqtt;

/// <summary>
/// Called on the connection's read loop for every PUBLISH, one after the other. <paramref name="payload"/> points into
/// the read buffer and is valid only during the call: copy what you keep. The read loop awaits the returned task before
/// reading on, so a slow consumer holds back the broker (back-pressure) instead of buffering without bound.
/// </summary>
public delegate ValueTask MqttPublishHandler(string topic, ReadOnlySpan<byte> payload, MqttDelivery delivery);

/// <summary>One received PUBLISH: who acknowledges it and how.</summary>
/// <param name="Connection">The connection it came on; an acknowledgement after that connection ended is dropped (the broker redelivers).</param>
/// <param name="PacketId">0 for QoS 0.</param>
public readonly record struct MqttDelivery(MqttSubscriberConnection Connection, ushort PacketId, int QualityOfService, bool Duplicate, bool Retain)
{
    /// <summary>Queues the PUBACK (QoS 1); acknowledgements are sent in the order they are queued, several per write.</summary>
    public void Acknowledge()
    {
        if (QualityOfService == 1)
        {
            Connection.Acknowledge(PacketId);
        }
    }
}
