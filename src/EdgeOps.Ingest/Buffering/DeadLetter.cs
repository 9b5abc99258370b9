namespace EdgeOps.Ingest;

/// <summary>
/// Something that cannot be written and will not become writable by retrying: a line InfluxDB rejected, or an
/// MQTT payload that does not map. Kept with the reason so an operator can fix and replay it.
/// </summary>
public sealed record DeadLetter(DateTimeOffset At, string Reason, string? Topic, string? Payload, string? Line);

/// <summary>Where dead letters go. Implementations must be durable before returning.</summary>
public interface IDeadLetterSink
{
    ValueTask WriteAsync(DeadLetter letter, CancellationToken cancellationToken);
}
