namespace EdgeOps.Publishing.Mqtt.Commands;

/// <summary>
/// Inbound commands (config section <c>EdgeOps:Mqtt:Commands</c>; docs/mqtt-contract.md). Checked on start with the rest
/// of the MQTT options by <see cref="MqttOptionsValidator"/>.
/// </summary>
public sealed class CommandOptions
{
    /// <summary>
    /// A command whose <c>ts</c> (when the sender made it) is older than this is refused as stale: a planned stop queued
    /// in a broker session during an outage must not start hours later. Default 5 minutes.
    /// </summary>
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long an applied <c>requestId</c> is remembered: a redelivery within it is answered again, not applied twice.</summary>
    public TimeSpan RequestRetention { get; set; } = TimeSpan.FromHours(24);

    /// <summary>SQLite file of applied request ids; the host puts it under the data directory (<c>commands.db</c>). Null: in memory only.</summary>
    public string? RequestLogPath { get; set; }
}
