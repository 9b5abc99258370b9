using System.Globalization;
using EdgeOps.Contract;

namespace EdgeOps.Gateway.Cli;

/// <summary>
/// <c>--name value</c> options and positional words of the <c>edgeops mqtt ...</c> verbs. Credentials never come from
/// arguments (they would show in <c>ps</c>): only from EDGEOPS_MQTT_USERNAME / EDGEOPS_MQTT_PASSWORD or a credentials file.
/// </summary>
internal sealed class MqttCliArguments
{
    private readonly CliValues _options;

    private MqttCliArguments(CliValues options, IEnumerable<string> positional)
    {
        _options = options;
        Positional = [.. positional];
    }

    public List<string> Positional { get; }

    /// <summary>The broker and TLS options of the verbs that connect to a broker; the verb adds its own.</summary>
    public static CliOptions BrokerOptions(string defaultBroker) => new CliOptions()
        .Text("broker", "uri", $"mqtt://host:port or mqtts://host:port (default {defaultBroker})")
        .Text("ca", "file", "CA certificate (PEM) to trust for mqtts://")
        .Text("cert", "file", "client certificate (PEM) for mqtts://")
        .Text("key", "file", "the client certificate's private key (PEM)");

    /// <summary>The parsed values of a verb's options and its positional words.</summary>
    public static MqttCliArguments From(CliValues options, params IEnumerable<string> positional) => new(options, positional);

    public string? Get(string name) => _options.Get(name);

    public string Get(string name, string fallback) => _options.Get(name) ?? fallback;

    public double Number(string name, double fallback)
    {
        if (_options.Get(name) is not { } text)
        {
            return fallback;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 0
            ? value
            : throw new ArgumentException($"option '--{name}' must be a non-negative number, found '{text}'");
    }

    /// <summary>
    /// Client options for a short-lived CLI connection to <paramref name="endpoint"/>: MQTT 5, clean start, a random id
    /// with <paramref name="clientIdPrefix"/>, credentials from the environment or credentials file, and TLS from
    /// <c>--ca</c>, <c>--cert</c>, <c>--key</c> when the broker is <c>mqtts://</c>.
    /// </summary>
    public MQTTnet.MqttClientOptions ClientOptions(EdgeOps.Publishing.Mqtt.BrokerEndpoint endpoint, string clientIdPrefix)
    {
        var builder = new MQTTnet.MqttClientOptionsBuilder()
            .WithTcpServer(endpoint.Host, endpoint.Port)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
            .WithClientId(clientIdPrefix + Guid.NewGuid().ToString("N")[..8])
            .WithCleanStart(true)
            .WithTimeout(TimeSpan.FromSeconds(10));
        if (EdgeOps.Publishing.Mqtt.MqttCredentials.Resolve(new EdgeOps.Publishing.Mqtt.MqttCredentialsOptions()) is { } credentials)
        {
            builder.WithCredentials(credentials.Username, credentials.Password);
        }

        if (endpoint.UseTls)
        {
            builder.WithTlsOptions(EdgeOps.Publishing.Mqtt.MqttTlsBuilder.Build(new EdgeOps.Contract.MqttTlsOptions
            {
                CaFile = Get("ca"),
                ClientCertificateFile = Get("cert"),
                ClientKeyFile = Get("key"),
            }, endpoint.Host));
        }

        return builder.Build();
    }
}
