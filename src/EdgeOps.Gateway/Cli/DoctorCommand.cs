using System.Globalization;
using EdgeOps.Gateway.Doctor;

namespace EdgeOps.Gateway.Cli;

/// <summary><c>edgeops doctor</c>: go-live checks of a device, each failure with how to fix it. Exit 1 when any failed.</summary>
internal sealed class DoctorCommand : ICommand
{
    public IReadOnlyList<string> Path { get; } = ["doctor"];

    public string Usage =>
        "doctor [--broker host:port]... [--mqtt-user u] [--opcua opc.tcp://h:p]... [--opcua-security None|Sign|SignAndEncrypt] [--opcua-policy NAME] [--opcua-no-host-check] [--gpiochip gpiochipN]... [--i2c N]... [--sensor bus:0xAA]... [--user edgeops] [--data /var/lib/edgeops] [--min-free-mb 256] [--dev /dev] [--etc /etc]   go-live checks "
        + "(without --broker: the broker of the gateway's settings, EdgeOps:Mqtt:Broker/Username/Password; with --mqtt-user the password comes from env EdgeOps__Mqtt__Password or EDGEOPS_MQTT_PASSWORD)";

    public async Task<int> RunAsync(IReadOnlyList<string> arguments, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        DoctorSettings settings;
        try
        {
            settings = Parse(arguments,
                Environment.GetEnvironmentVariable("EdgeOps__Mqtt__Password") ?? Environment.GetEnvironmentVariable("EDGEOPS_MQTT_PASSWORD"));
            if (settings.Brokers.Count == 0 && ConfiguredBroker() is { } configured)
            {
                settings = settings with { Brokers = [configured] };
            }
        }
        catch (Exception ex) when (ex is FormatException or IOException or ArgumentException or InvalidOperationException)
        {
            await error.WriteLineAsync($"edgeops doctor: {ex.Message}").ConfigureAwait(false);
            await error.WriteLineAsync($"usage: edgeops {Usage}").ConfigureAwait(false);
            return 2;
        }

        var results = await DoctorRunner.RunAsync(settings, cancellationToken).ConfigureAwait(false);
        DoctorRunner.Print(results, output);
        return results.Any(r => r.Status == DoctorStatus.Fail) ? 1 : 0;
    }

    /// <summary>
    /// The external broker the gateway's own settings name (the keys the service reads, from the same places:
    /// /etc/edgeops/appsettings.json, the environment, systemd credentials), with its login; null for the embedded
    /// broker, MQTT off, or TLS (this check speaks plain MQTT only).
    /// </summary>
    private static BrokerEndpoint? ConfiguredBroker()
    {
        // Outside the unit there is no $CREDENTIALS_DIRECTORY: read the folder the unit loads them from, when this user may.
        var credentials = Environment.GetEnvironmentVariable("CREDENTIALS_DIRECTORY") ?? "/etc/edgeops/credentials";
        var readable = Directory.Exists(credentials) && new Func<bool>(() =>
        {
            try
            {
                _ = Directory.EnumerateFiles(credentials).Any();
                return true;
            }
            catch (UnauthorizedAccessException)
            {
                return false;
            }
        })();
        var configuration = new ConfigurationBuilder()
            .AddJsonFile("/etc/edgeops/appsettings.json", optional: true, reloadOnChange: false)
            .AddEnvironmentVariables()
            .AddSystemdCredentials(readable ? credentials : string.Empty)
            .Build();
        if (!configuration.GetValue("EdgeOps:Mqtt:Enabled", true))
        {
            return null;
        }

        var mqtt = configuration.GetSection("EdgeOps:Mqtt").Get<Publishing.Mqtt.MqttOptions>() ?? new Publishing.Mqtt.MqttOptions();
        var endpoint = mqtt.Endpoint;
        if (endpoint.Embedded || endpoint.UseTls)
        {
            return null;
        }

        var login = Publishing.Mqtt.MqttCredentials.Resolve(mqtt);
        return new BrokerEndpoint(endpoint.Host, endpoint.Port, login?.Username, login?.Password);
    }

    internal static DoctorSettings Parse(IReadOnlyList<string> arguments, string? mqttPassword)
    {
        var settings = new DoctorSettings();
        var brokers = new List<(string Host, int Port)>();
        var opcua = new List<Uri>();
        var chips = new List<string>();
        var buses = new List<int>();
        var sensors = new List<I2cSensorAddress>();
        string? mqttUser = null;
        for (var i = 0; i < arguments.Count; i++)
        {
            var option = arguments[i];
            string Value() => i + 1 < arguments.Count ? arguments[++i] : throw new FormatException($"{option} needs a value");
            switch (option)
            {
                case "--broker": brokers.Add(HostPort(Value(), option)); break;
                case "--mqtt-user": mqttUser = Value(); break;
                case "--opcua":
                    var url = Value();
                    opcua.Add(Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme == "opc.tcp"
                        ? uri : throw new FormatException($"--opcua '{url}' is not an opc.tcp://host:port URL"));
                    break;
                case "--opcua-security": settings = settings with { OpcUaSecurityMode = Value() }; break;
                case "--opcua-policy": settings = settings with { OpcUaSecurityPolicy = Value() }; break;
                case "--opcua-no-host-check": settings = settings with { OpcUaCheckHostName = false }; break;
                case "--gpiochip": chips.Add(Value()); break;
                case "--i2c": buses.Add(Int(Value(), option)); break;
                case "--sensor": sensors.Add(Sensor(Value())); break;
                case "--user": settings = settings with { ServiceUser = Value() }; break;
                case "--data": settings = settings with { DataDirectory = Value() }; break;
                case "--dev": settings = settings with { DevDirectory = Value() }; break;
                case "--etc": settings = settings with { EtcDirectory = Value() }; break;
                case "--min-free-mb": settings = settings with { MinFreeBytes = Int(Value(), option) * 1024L * 1024 }; break;
                default: throw new FormatException($"unknown option '{option}'");
            }
        }

        return settings with
        {
            Brokers = [.. brokers.Select(b => new BrokerEndpoint(b.Host, b.Port, mqttUser, mqttUser is null ? null : mqttPassword))],
            OpcUaEndpoints = opcua,
            GpioChips = chips,
            I2cBuses = buses,
            Sensors = sensors,
        };
    }

    private static (string Host, int Port) HostPort(string text, string option)
    {
        var colon = text.LastIndexOf(':');
        return colon > 0 ? (text[..colon], Int(text[(colon + 1)..], option)) : (text, 1883);
    }

    private static I2cSensorAddress Sensor(string text)
    {
        var parts = text.Split(':');
        if (parts.Length != 2)
        {
            throw new FormatException($"--sensor '{text}' is not bus:address (e.g. 1:0x76)");
        }

        var address = parts[1].StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            && int.TryParse(parts[1].AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var hex)
                ? hex
                : Int(parts[1], "--sensor");
        return address is >= 0x03 and <= 0x77
            ? new I2cSensorAddress(Int(parts[0], "--sensor"), address)
            : throw new FormatException($"--sensor '{text}': 7-bit I2C addresses are 0x03..0x77");
    }

    private static int Int(string text, string option) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException($"{option} '{text}' is not a number");
}
