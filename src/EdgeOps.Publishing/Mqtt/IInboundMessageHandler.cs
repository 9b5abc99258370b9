using EdgeOps.Publishing.Outbox;

namespace EdgeOps.Publishing.Mqtt;

/// <summary>
/// Takes the messages <see cref="MqttPublisher"/> receives on its command filters; registered with
/// <see cref="MqttPublisher.RegisterInbound"/> before the publisher starts (the command router is the one the gateway uses).
/// </summary>
public interface IInboundMessageHandler
{
    /// <summary>
    /// Handles one inbound message and returns the reply to enqueue, or null. Returns only once the message is applied:
    /// the publisher acknowledges it (PUBACK) after this completes, so a command is never acknowledged before it is applied.
    /// <paramref name="sender"/> is the user the broker authenticated, when the broker is one that tells (the embedded one).
    /// </summary>
    Task<OutgoingMessage?> HandleAsync(string topic, ReadOnlyMemory<byte> payload, string? sender, CancellationToken cancellationToken);
}
