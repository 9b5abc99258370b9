using EdgeOps.Publishing.Mqtt;

namespace EdgeOps.Gateway.Web;

/// <summary>
/// /readyz part for MQTT: the broker is connected, and the outbox is not stuck (its oldest message is younger than
/// <see cref="StuckAfter"/> while connected: a connected gateway whose backlog does not drain is not delivering).
/// </summary>
internal sealed class MqttReadinessCheck(MqttPublisher publisher) : IReadinessCheck
{
    public static readonly TimeSpan StuckAfter = TimeSpan.FromMinutes(5);

    public string Name => "mqtt";

    public ReadinessResult Check()
    {
        if (!publisher.IsConnected)
        {
            return new ReadinessResult(false, $"broker not connected; {publisher.Outbox.OldestAge.TotalSeconds:0} s of messages waiting in the outbox");
        }

        var oldest = publisher.Outbox.OldestAge;
        return oldest > StuckAfter
            ? new ReadinessResult(false, $"connected, but the oldest outbox message is {oldest.TotalSeconds:0} s old: the outbox is stuck")
            : new ReadinessResult(true, "broker connected, outbox draining");
    }
}
