using EdgeOps.Contract;
using EdgeOps.Publishing.Outbox;

namespace EdgeOps.Publishing.Mqtt;

/// <summary>MQTT publishing (config section <c>EdgeOps:Mqtt</c>; docs/mqtt-contract.md lists every key).</summary>
public sealed record MqttOptions
{
    /// <summary>
    /// <c>embedded</c> (default: the in-process broker on 127.0.0.1:<see cref="EmbeddedPort"/>) or the external broker as
    /// <c>mqtt://host:1883</c> / <c>mqtts://host:8883</c>. This one line switches brokers.
    /// </summary>
    public string Broker { get; init; } = "embedded";

    /// <summary>Port of the embedded broker (loopback only).</summary>
    public int EmbeddedPort { get; init; } = 1883;

    /// <summary>Site level of the topic tree (the status topic is per site).</summary>
    public string Site { get; init; } = "site";

    /// <summary>Gateway id: the fixed MQTT client id, so the broker keeps the persistent session across restarts.</summary>
    public string GatewayId { get; init; } = "gateway";

    /// <summary>MQTT 5 session expiry: how long the broker keeps the session (and queued commands) while the gateway is away.</summary>
    public TimeSpan SessionExpiry { get; init; } = TimeSpan.FromDays(1);

    /// <summary>Keep-alive period.</summary>
    public TimeSpan KeepAlive { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>First reconnect delay; doubles per failed attempt up to <see cref="ReconnectMaxDelay"/>, with jitter.</summary>
    public TimeSpan ReconnectMinDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Cap of the reconnect delay.</summary>
    public TimeSpan ReconnectMaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Publishes awaiting PUBACK at once.</summary>
    public int MaxInFlight { get; init; } = 256;

    /// <summary>KPI snapshots publish on change, but at most once per this interval per machine.</summary>
    public TimeSpan MinKpiInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Topic filters for inbound commands (the host adds its line's <see cref="MqttTopics.CommandFilter"/>).</summary>
    public IReadOnlyList<string> CommandFilters { get; init; } = [];

    /// <summary>Version reported in the birth message.</summary>
    public string Version { get; init; } = "0.0.0";

    /// <summary>Hash of the loaded configuration, reported in the birth message.</summary>
    public string ConfigHash { get; init; } = "none";

    /// <summary>TLS for <c>mqtts://</c>.</summary>
    public MqttTlsOptions Tls { get; init; } = new();

    /// <summary>Where the username and password come from (never from the config files in the repo).</summary>
    public MqttCredentialsOptions Credentials { get; init; } = new();

    /// <summary>The durable queue.</summary>
    public OutboxOptions Outbox { get; init; } = new();

    /// <summary>The broker endpoint <see cref="Broker"/> names.</summary>
    public BrokerEndpoint Endpoint => BrokerEndpoint.Parse(Broker, EmbeddedPort);
}

/// <summary>Host, port and whether TLS is on.</summary>
public sealed record BrokerEndpoint(string Host, int Port, bool UseTls, bool Embedded)
{
    /// <summary>Parses <c>embedded</c>, <c>mqtt://host[:port]</c> or <c>mqtts://host[:port]</c>.</summary>
    public static BrokerEndpoint Parse(string broker, int embeddedPort)
    {
        if (string.IsNullOrWhiteSpace(broker) || string.Equals(broker, "embedded", StringComparison.OrdinalIgnoreCase))
        {
            return new BrokerEndpoint("127.0.0.1", embeddedPort, false, true);
        }

        if (!Uri.TryCreate(broker, UriKind.Absolute, out var uri) || (uri.Scheme != "mqtt" && uri.Scheme != "mqtts")
            || string.IsNullOrEmpty(uri.Host))
        {
            throw new ArgumentException(
                $"EdgeOps:Mqtt:Broker = '{broker}' is not 'embedded', 'mqtt://host[:port]' or 'mqtts://host[:port]'.", nameof(broker));
        }

        var tls = uri.Scheme == "mqtts";
        var port = uri.IsDefaultPort || uri.Port <= 0 ? (tls ? 8883 : 1883) : uri.Port;
        return new BrokerEndpoint(uri.Host, port, tls, false);
    }
}

/// <summary>Username and password sources: environment variables first, then a file outside the repository.</summary>
public sealed record MqttCredentialsOptions
{
    /// <summary>Environment variable holding the username.</summary>
    public string UsernameVariable { get; init; } = "EDGEOPS_MQTT_USERNAME";

    /// <summary>Environment variable holding the password.</summary>
    public string PasswordVariable { get; init; } = "EDGEOPS_MQTT_PASSWORD";

    /// <summary>A file with <c>username=...</c> and <c>password=...</c> lines (e.g. /etc/edgeops/mqtt.credentials, mode 0600).</summary>
    public string? File { get; init; }
}
