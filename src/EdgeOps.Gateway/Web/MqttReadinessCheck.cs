using EdgeOps.Publishing.Mqtt;

namespace EdgeOps.Gateway.Web;

/// <summary>
/// /readyz part for MQTT: the broker is connected, and the outbox is not stuck (its oldest message is younger than
/// <see cref="StuckAfter"/> while connected: a connected gateway whose backlog does not drain is not delivering). Every
/// answer names the broker in use (<c>broker embedded</c> or <c>broker mqtt://host:port</c>), so "ready" on the wrong
/// broker is visible.
/// </summary>
internal sealed class MqttReadinessCheck(MqttPublisher publisher) : IReadinessCheck
{
    public static readonly TimeSpan StuckAfter = TimeSpan.FromMinutes(5);

    public string Name => "mqtt";

    public ReadinessResult Check()
    {
        if (!publisher.IsConnected)
        {
            return new ReadinessResult(false, $"broker not connected; {publisher.Outbox.OldestAge.TotalSeconds:0} s of messages waiting in the outbox; broker {publisher.Broker}");
        }

        var oldest = publisher.Outbox.OldestAge;
        return oldest > StuckAfter
            ? new ReadinessResult(false, $"connected, but the oldest outbox message is {oldest.TotalSeconds:0} s old: the outbox is stuck; broker {publisher.Broker}")
            : new ReadinessResult(true, $"broker connected, outbox draining; broker {publisher.Broker}");
    }
}
