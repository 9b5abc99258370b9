using EdgeOps.Publishing.Mqtt.Broker;
using EdgeOps.Publishing.Mqtt.Commands;
using EdgeOps.Contract;
using EdgeOps.Publishing.Outbox;

namespace EdgeOps.Publishing.Mqtt;

/// <summary>MQTT publishing (config section <c>EdgeOps:Mqtt</c>; docs/mqtt-contract.md lists every key).</summary>
/// <remarks>
/// <c>{ get; set; }</c>, never <c>init</c>: the configuration binding source generator skips init-only properties
/// without a word (the published gateway once ignored every MQTT setting that way). A record still, so the host and
/// tests derive variants with <c>with</c>.
/// </remarks>
public sealed record MqttOptions
{
    /// <summary>
    /// <c>embedded</c> (default: the in-process broker on 127.0.0.1:<see cref="EmbeddedPort"/>) or the external broker as
    /// <c>mqtt://host:1883</c> / <c>mqtts://host:8883</c>. This one line switches brokers.
    /// </summary>
    public string Broker { get; set; } = "embedded";

    /// <summary>Port of the embedded broker (loopback only).</summary>
    public int EmbeddedPort { get; set; } = 1883;

    /// <summary>
    /// The embedded broker in production (under systemd, or <c>DOTNET_ENVIRONMENT=Production</c>) only when this is
    /// true: a gateway set up by a template that was never filled in must not publish to a broker nobody reads.
    /// </summary>
    public bool AllowEmbeddedInProduction { get; set; }

    /// <summary>
    /// Username for the broker (<c>EdgeOps__Mqtt__Username</c> in /etc/edgeops/edgeops.env, or a systemd credential
    /// file of that name). Read before <see cref="Credentials"/>.
    /// </summary>
    public string? Username { get; set; }

    /// <summary>Password for <see cref="Username"/>: from the root-only env file or a credential file, never the repo.</summary>
    public string? Password { get; set; }

    /// <summary>Site level of the topic tree (the status topic is per site).</summary>
    public string Site { get; set; } = "site";

    /// <summary>Gateway id: the fixed MQTT client id, so the broker keeps the persistent session across restarts.</summary>
    public string GatewayId { get; set; } = "gateway";

    /// <summary>MQTT 5 session expiry: how long the broker keeps the session (and queued commands) while the gateway is away.</summary>
    public TimeSpan SessionExpiry { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Keep-alive period.</summary>
    public TimeSpan KeepAlive { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>First reconnect delay; doubles per failed attempt up to <see cref="ReconnectMaxDelay"/>, with jitter.</summary>
    public TimeSpan ReconnectMinDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Cap of the reconnect delay.</summary>
    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Publishes awaiting PUBACK at once.</summary>
    public int MaxInFlight { get; set; } = 256;

    /// <summary>KPI snapshots publish on change, but at most once per this interval per machine.</summary>
    public TimeSpan MinKpiInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Topic filters for inbound commands (the host adds its line's <see cref="MqttTopics.CommandFilter"/>).</summary>
    public IReadOnlyList<string> CommandFilters { get; set; } = [];

    /// <summary>Version reported in the birth message.</summary>
    public string Version { get; set; } = "0.0.0";

    /// <summary>Hash of the loaded configuration, reported in the birth message.</summary>
    public string ConfigHash { get; set; } = "none";

    /// <summary>TLS for <c>mqtts://</c>.</summary>
    public MqttTlsOptions Tls { get; set; } = new();

    /// <summary>Where the username and password come from (never from the config files in the repo).</summary>
    public MqttCredentialsOptions Credentials { get; set; } = new();

    /// <summary>The durable queue.</summary>
    public OutboxOptions Outbox { get; set; } = new();

    /// <summary>Users and access rules of the embedded broker (unused with an external broker, which has its own ACL).</summary>
    public EmbeddedBrokerOptions EmbeddedBroker { get; set; } = new();

    /// <summary>Freshness and idempotence of inbound commands.</summary>
    public CommandOptions Commands { get; set; } = new();

    /// <summary>The JSON contract (<c>edgeops/v1/...</c>); Sparkplug B (<c>EdgeOps:Sparkplug</c>) may run beside it or instead.</summary>
    public MqttJsonOptions Json { get; set; } = new();

    /// <summary>The broker endpoint <see cref="Broker"/> names.</summary>
    public BrokerEndpoint Endpoint => BrokerEndpoint.Parse(Broker, EmbeddedPort);

    /// <summary>Never the password (a record would print every property).</summary>
    public override string ToString() => $"MqttOptions {{ Broker = {Broker}, GatewayId = {GatewayId} }}";
}

/// <summary>The JSON contract's switch (<c>EdgeOps:Mqtt:Json</c>).</summary>
public sealed record MqttJsonOptions
{
    /// <summary>
    /// Publish the machines' state, counts, KPIs, events and condition on <c>edgeops/v1/...</c> (default). false with
    /// <c>EdgeOps:Sparkplug:Enabled</c> true publishes Sparkplug B only; the gateway's status topic and the JSON command
    /// topics stay either way.
    /// </summary>
    public bool Enabled { get; set; } = true;
}

/// <summary>Host, port and whether TLS is on.</summary>
public sealed record BrokerEndpoint(string Host, int Port, bool UseTls, bool Embedded)
{
    /// <summary>
    /// Which broker, for people and central systems (status topic, /readyz, start-up log): <c>embedded</c> or the
    /// external broker's <c>mqtt://host:port</c> / <c>mqtts://host:port</c>. Never carries credentials.
    /// </summary>
    public string Name => Embedded ? "embedded" : $"{(UseTls ? "mqtts" : "mqtt")}://{Host}:{Port.ToString(System.Globalization.CultureInfo.InvariantCulture)}";

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
    public string UsernameVariable { get; set; } = "EDGEOPS_MQTT_USERNAME";

    /// <summary>Environment variable holding the password.</summary>
    public string PasswordVariable { get; set; } = "EDGEOPS_MQTT_PASSWORD";

    /// <summary>A file with <c>username=...</c> and <c>password=...</c> lines (e.g. /etc/edgeops/mqtt.credentials, mode 0600).</summary>
    public string? File { get; set; }
}
