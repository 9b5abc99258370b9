using System.Globalization;
using EdgeOps.Contract;

namespace EdgeOps.Gateway.Cli;

/// <summary>
/// <c>--name value</c> options and positional words of the <c>edgeops mqtt ...</c> verbs. Credentials never come from
/// arguments (they would show in <c>ps</c>): only from EDGEOPS_MQTT_USERNAME / EDGEOPS_MQTT_PASSWORD or a credentials file.
/// </summary>
internal sealed class MqttCliArguments
{
    private readonly Dictionary<string, string> _options = new(StringComparer.Ordinal);

    private MqttCliArguments()
    {
    }

    public List<string> Positional { get; } = [];

    public static MqttCliArguments Parse(IReadOnlyList<string> arguments, IReadOnlyCollection<string> known)
    {
        var parsed = new MqttCliArguments();
        for (var i = 0; i < arguments.Count; i++)
        {
            var word = arguments[i];
            if (!word.StartsWith("--", StringComparison.Ordinal))
            {
                parsed.Positional.Add(word);
                continue;
            }

            var name = word[2..];
            if (!known.Contains(name))
            {
                throw new ArgumentException($"unknown option '{word}'; known: {string.Join(", ", known.Select(k => "--" + k))}");
            }

            if (i + 1 >= arguments.Count)
            {
                throw new ArgumentException($"option '{word}' needs a value");
            }

            parsed._options[name] = arguments[++i];
        }

        return parsed;
    }

    public string? Get(string name) => _options.GetValueOrDefault(name);

    public string Get(string name, string fallback) => _options.GetValueOrDefault(name) ?? fallback;

    public double Number(string name, double fallback)
    {
        if (_options.GetValueOrDefault(name) is not { } text)
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
