using EdgeOps.Ingest;
using EdgeOps.Contract;

namespace EdgeOps.Historian;

/// <summary>The <c>Historian</c> configuration section. Secrets (passwords, token) come from environment variables, e.g. <c>Historian__Influx__Token</c>.</summary>
public sealed class HistorianOptions
{
    public const string Section = "Historian";

    public HistorianMqttOptions Mqtt { get; set; } = new();

    public InfluxOptions Influx { get; set; } = new();

    /// <summary>
    /// Where Prometheus scrapes <c>/metrics</c> (an <c>HttpListener</c> prefix such as <c>http://127.0.0.1:9108/</c>;
    /// <c>http://+:9108/</c> for every interface). Empty: no metrics endpoint.
    /// </summary>
    public string MetricsUrl { get; set; } = "http://127.0.0.1:9108/";

    /// <summary>Holds the durable buffer (<c>historian-buffer.db</c>) and the dead letters (<c>dead-letters.jsonl</c>).</summary>
    public string DataDirectory { get; set; } = "data";
}

/// <summary>The broker side: a persistent session with a fixed client id, so nothing published while the historian is away is lost.</summary>
public sealed class HistorianMqttOptions
{
    public string Host { get; set; } = "localhost";

    public int Port { get; set; } = 1883;

    public string ClientId { get; set; } = "edgeops-historian";

    /// <summary>TLS to the broker (usually port 8883); <see cref="Tls"/> says what to trust and what to present.</summary>
    public bool UseTls { get; set; }

    /// <summary>CA file, client certificate and key, pinned fingerprint, target host: as the gateway's <c>EdgeOps:Mqtt:Tls</c>.</summary>
    public MqttTlsOptions Tls { get; set; } = new();

    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>The contract's topic tree.</summary>
    public string Topic { get; set; } = MqttTopics.All;

    /// <summary>
    /// When set, subscribes as <c>$share/{SharedGroup}/{Topic}</c> so several historians split the load.
    /// Each instance needs its own <see cref="ClientId"/>.
    /// </summary>
    public string? SharedGroup { get; set; }

    /// <summary>
    /// Unacknowledged messages the broker may send at once (MQTT 5 receive maximum). A batch is written when this
    /// many wait, so it bounds the batch size from the broker's side; Mosquitto also needs
    /// <c>max_inflight_messages</c> at least this large (docs/historian.md). The historian holds at most this many
    /// messages in memory (about 40 MB for 1 KB messages). The window also caps throughput at ReceiveMaximum / (time
    /// from receipt to acknowledgement): 10,000 held the benchmark to 76-80 % of the plain writer, 40,000 reached 84 %.
    /// </summary>
    public int ReceiveMaximum { get; set; } = 40_000;

    /// <summary>
    /// Largest MQTT packet the historian accepts (MQTT 5 Maximum Packet Size, sent in CONNECT): the broker does not send
    /// bigger ones (it drops them), and the receive buffer never grows past it. A contract payload is a few KB.
    /// </summary>
    public int MaximumPacketSize { get; set; } = 1024 * 1024;

    /// <summary>How long the broker keeps the session (and queues messages) while the historian is away.</summary>
    public TimeSpan SessionExpiry { get; set; } = TimeSpan.FromDays(7);

    public string SubscriptionTopic => string.IsNullOrEmpty(SharedGroup) ? Topic : $"$share/{SharedGroup}/{Topic}";
}
