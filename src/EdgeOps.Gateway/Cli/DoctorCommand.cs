using System.CommandLine;
using System.Globalization;
using EdgeOps.Gateway.Doctor;

namespace EdgeOps.Gateway.Cli;

/// <summary><c>edgeops doctor</c>: go-live checks of a device, each failure with how to fix it. Exit 1 when any failed.</summary>
internal sealed class DoctorCommand : CliCommand
{
    private readonly CliOptions _options = new CliOptions()
        .Many("broker", "host:port", "MQTT broker to reach (repeatable; default: the broker of the gateway's settings, EdgeOps:Mqtt:Broker/Username/Password)")
        .Text("mqtt-user", "name", "log in to --broker as this user; the password comes from env EdgeOps__Mqtt__Password or EDGEOPS_MQTT_PASSWORD")
        .Text("config", "line.yaml", "line file whose OPC UA endpoints to check, each with its own securityMode, securityPolicy, serverThumbprint and checkServerHostName (default: the gateway's EdgeOps:Line when its settings name one)")
        .Many("opcua", "opc.tcp://host:port", "a further OPC UA server to reach (repeatable)")
        .Text("opcua-security", "mode", "for --opcua: the security mode to expect, None, Sign or SignAndEncrypt (default: the most secure offered)")
        .Text("opcua-policy", "name", "for --opcua: the security policy to expect, e.g. Basic256Sha256 (default: the strongest offered)")
        .Flag("opcua-no-host-check", "for --opcua: accept a server certificate that does not name the host (checkServerHostName: false)")
        .Many("gpiochip", "gpiochipN", "GPIO chip the service must open (repeatable)")
        .Many("i2c", "bus", "I2C bus number the service must open (repeatable)")
        .Many("sensor", "bus:0xAA", "I2C sensor that must answer (repeatable)")
        .Text("user", "name", "the service user (default edgeops)")
        .Text("data", "dir", "the data directory (default /var/lib/edgeops)")
        .Text("min-free-mb", "n", "free space the data directory needs (default 256)")
        .Text("dev", "dir", "device directory (default /dev; for tests)")
        .Text("etc", "dir", "configuration directory (default /etc; for tests)");

    public override IReadOnlyList<string> Path { get; } = ["doctor"];

    public override string Description => "go-live checks of a device (clock, disk, device access, broker, PLCs, sensors), each failure with its fix";

    protected override void Define(Command command) => _options.AddTo(command);

    protected override async Task<int> ExecuteAsync(ParseResult parsed, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        DoctorSettings settings;
        try
        {
            var values = _options.Read(parsed);
            settings = Parse(values,
                Environment.GetEnvironmentVariable("EdgeOps__Mqtt__Password") ?? Environment.GetEnvironmentVariable("EDGEOPS_MQTT_PASSWORD"));
            var service = ServiceConfiguration();
            if (settings.Brokers.Count == 0 && ConfiguredBroker(service) is { } configured)
            {
                settings = settings with { Brokers = [configured] };
            }

            if ((values.Get("config") ?? service["EdgeOps:Line"]) is { Length: > 0 } line)
            {
                settings = settings with { OpcUaEndpoints = [.. LineEndpoints(line), .. settings.OpcUaEndpoints] };
            }
        }
        catch (Exception ex) when (ex is FormatException or IOException or ArgumentException or InvalidOperationException)
        {
            await error.WriteLineAsync($"edgeops doctor: {ex.Message}").ConfigureAwait(false);
            await error.WriteLineAsync("Run 'edgeops doctor --help' for usage.").ConfigureAwait(false);
            return 2;
        }

        var results = await DoctorRunner.RunAsync(settings, cancellationToken).ConfigureAwait(false);
        DoctorRunner.Print(results, output);
        return results.Any(r => r.Status == DoctorStatus.Fail) ? 1 : 0;
    }

    /// <summary>
    /// The OPC UA endpoints of the line file at <paramref name="path"/>, each with the security settings the gateway
    /// would use for it. A line file that does not load is a usage error naming its first problems: the doctor checks
    /// what the gateway would run, and the gateway would not start on it.
    /// </summary>
    internal static IReadOnlyList<DoctorOpcUaEndpoint> LineEndpoints(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"line file '{path}' not found (--config or EdgeOps:Line)", path);
        }

        var result = Configuration.LineConfigLoader.Load(path);
        if (!result.IsValid)
        {
            throw new FormatException($"line file '{path}' has errors (run 'edgeops validate {path}'): "
                + string.Join("; ", result.Errors.Take(3).Select(e => e.ToString())));
        }

        return [.. (result.Line!.Sources.OpcUa?.Endpoints ?? []).Select(e => new DoctorOpcUaEndpoint(
            Uri.TryCreate(e.Url, UriKind.Absolute, out var uri) ? uri : throw new FormatException($"{path}: endpoint '{e.Name}' url '{e.Url}' is not a URL"),
            e.Name, e.SecurityMode, e.SecurityPolicy, e.CheckServerHostName, e.ServerThumbprint))];
    }

    /// <summary>
    /// The gateway's own settings, from the places the service reads them: /etc/edgeops/appsettings.json, the
    /// environment, systemd credentials.
    /// </summary>
    private static IConfiguration ServiceConfiguration()
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
        return new ConfigurationBuilder()
            .AddJsonFile("/etc/edgeops/appsettings.json", optional: true, reloadOnChange: false)
            .AddEnvironmentVariables()
            .AddSystemdCredentials(readable ? credentials : string.Empty)
            .Build();
    }

    /// <summary>
    /// The external broker the gateway's own settings name, with its login; null for the embedded broker, MQTT off, or
    /// TLS (this check speaks plain MQTT only).
    /// </summary>
    private static BrokerEndpoint? ConfiguredBroker(IConfiguration configuration)
    {
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

    internal static DoctorSettings Parse(CliValues options, string? mqttPassword)
    {
        var settings = new DoctorSettings();
        var brokers = options.Many("broker").Select(b => HostPort(b, "--broker")).ToList();
        var opcua = options.Many("opcua").Select(url => Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme == "opc.tcp"
            ? uri : throw new FormatException($"--opcua '{url}' is not an opc.tcp://host:port URL")).ToList();
        var chips = options.Many("gpiochip").ToList();
        var buses = options.Many("i2c").Select(b => Int(b, "--i2c")).ToList();
        var sensors = options.Many("sensor").Select(Sensor).ToList();
        var mqttUser = options.Get("mqtt-user");
        settings = settings with
        {
            ServiceUser = options.Get("user") ?? settings.ServiceUser,
            DataDirectory = options.Get("data") ?? settings.DataDirectory,
            DevDirectory = options.Get("dev") ?? settings.DevDirectory,
            EtcDirectory = options.Get("etc") ?? settings.EtcDirectory,
            MinFreeBytes = options.Get("min-free-mb") is { } mb ? Int(mb, "--min-free-mb") * 1024L * 1024 : settings.MinFreeBytes,
        };

        return settings with
        {
            Brokers = [.. brokers.Select(b => new BrokerEndpoint(b.Host, b.Port, mqttUser, mqttUser is null ? null : mqttPassword))],
            OpcUaEndpoints = [.. opcua.Select(url => new DoctorOpcUaEndpoint(url, null, options.Get("opcua-security"), options.Get("opcua-policy"),
                !options.Flag("opcua-no-host-check")))],
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
