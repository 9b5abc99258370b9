using EdgeOps.Core.Model;
using EdgeOps.Gateway.Condition;
using EdgeOps.Gateway.Influx;
using EdgeOps.Gateway.Web;
using EdgeOps.Ingest;
using EdgeOps.Publishing.Mqtt;
using EdgeOps.Publishing.Sparkplug;
using EdgeOps.Settings;

namespace EdgeOps.Gateway.Hosting;

/// <summary>
/// The gateway's settings (<c>EdgeOps:*</c>) as a whole: which options type binds which section, and the start-up
/// check that runs before anything else is built. The service runs it at start and stops naming every key at fault;
/// <c>edgeops validate --settings</c> runs the same check on the same sources without starting.
/// </summary>
internal static class GatewaySettings
{
    /// <summary>
    /// Every key under <c>EdgeOps:</c> that an options type binds: adding a property to one of these types makes its key
    /// known; a key read any other way must be added here, or it is reported as unknown at start.
    /// </summary>
    public static readonly SettingsSchema Schema = new SettingsSchema(GatewayOptions.Section, typeof(GatewayOptions))
        .Section("Mqtt", typeof(MqttOptions))
        .Value("Mqtt:Enabled")
        // What the deploy templates once said: the broker is one URL, not host and port.
        .NotASetting("Mqtt:Host", "the broker is one URL: EdgeOps:Mqtt:Broker=mqtt://host:1883")
        .NotASetting("Mqtt:Port", "the broker is one URL: EdgeOps:Mqtt:Broker=mqtt://host:1883")
        .NotASetting("Mqtt:Site", "the site is the line file's 'site:'")
        .NotASetting("Mqtt:GatewayId", "the gateway id (also the MQTT client id) is EdgeOps:GatewayId")
        .NotASetting("Mqtt:Version", "the gateway reports its own version")
        .NotASetting("Mqtt:ConfigHash", "the gateway reports the hash of its line file")
        .Section("Web", typeof(WebOptions))
        .Section("Influx", typeof(InfluxOptions))
        .Value("Influx:Enabled")
        .Section("Condition", typeof(ConditionOptions))
        .Section("Sparkplug", typeof(SparkplugOptions))
        .Section("OpcUa", typeof(Configuration.OpcUa.OpcUaOptions))
        // GatewayOptions' own nested types, named so the annotation keeps their properties in the AOT build: there the
        // binding generator's code alone did not keep SimulatorOverrides.AllowInProduction, and the published gateway
        // refused EdgeOps:Simulator:AllowInProduction as an unknown key (InstalledDebTests).
        .Section("Simulator", typeof(SimulatorOverrides))
        .Section("Storage", typeof(Storage.StorageOptions))
        .Section("Diagnostics", typeof(DiagnosticsOptions));

    /// <summary>
    /// The options pattern of the host: each options type bound to its section, with its validators, validated on
    /// start (<c>AddOptionsWithValidateOnStart</c>). The web and condition options register theirs beside their wiring.
    /// </summary>
    public static IServiceCollection AddGatewayOptions(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptionsWithValidateOnStart<GatewayOptions, GatewayOptionsValidator>()
            .Bind(configuration.GetSection(GatewayOptions.Section));
        services.AddOptionsWithValidateOnStart<MqttOptions, MqttOptionsValidator>()
            .Bind(configuration.GetSection("EdgeOps:Mqtt"));
        services.AddOptionsWithValidateOnStart<Configuration.OpcUa.OpcUaOptions, Configuration.OpcUa.OpcUaOptionsValidator>()
            .Bind(configuration.GetSection(Configuration.OpcUa.OpcUaOptions.Section));
        services.AddOptionsWithValidateOnStart<SparkplugOptions, SparkplugOptionsValidator>()
            .Bind(configuration.GetSection(SparkplugOptions.Section));
        return services;
    }

    /// <summary>
    /// Every problem with the settings, each naming its key: unknown keys, values that do not convert, the web, MQTT
    /// and edge-local InfluxDB rules, the broker credentials, and the production opt-ins (<see cref="ProductionMode"/>).
    /// <paramref name="line"/> is the loaded line file (null when it did not load: the simulator opt-in is then not judged).
    /// </summary>
    public static IReadOnlyList<string> Check(IConfiguration configuration, LineDefinition? line, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(environment);
        var errors = new List<string>(Schema.UnknownKeys(configuration));

        // One call per type, not a generic helper: the binding source generator only sees concrete Get<T>() calls.
        var gateway = Bind(() => configuration.GetSection(GatewayOptions.Section).Get<GatewayOptions>() ?? new GatewayOptions(), errors);
        if (gateway is not null && new GatewayOptionsValidator().Validate(null, gateway) is { Failed: true } invalid)
        {
            // The generated validator reports "Member: message"; the key is the member under EdgeOps.
            errors.AddRange(invalid.Failures.Select(f => $"{GatewayOptions.Section}:{f}"));
        }

        if (gateway is not null && new Storage.StorageOptionsValidator().Validate(null, gateway) is { Failed: true } storage)
        {
            // Its messages already name the key (EdgeOps:Storage:...).
            errors.AddRange(storage.Failures);
        }

        var web = Bind(() => configuration.GetSection(WebOptions.Section).Get<WebOptions>() ?? new WebOptions(), errors);
        if (web is not null)
        {
            errors.AddRange(WebOptionsValidator.Errors(web));
        }

        if (Bind(() => configuration.GetSection(ConditionOptionsValidator.Section).Get<ConditionOptions>() ?? new ConditionOptions(), errors) is { } condition)
        {
            errors.AddRange(ConditionOptionsValidator.Errors(condition));
        }

        if (Bind(() => configuration.GetSection(Configuration.OpcUa.OpcUaOptions.Section).Get<Configuration.OpcUa.OpcUaOptions>()
            ?? new Configuration.OpcUa.OpcUaOptions(), errors) is { } opcUa)
        {
            errors.AddRange(Configuration.OpcUa.OpcUaOptionsValidator.Errors(opcUa, TimeProvider.System));
        }

        var mqttEnabled = Bool(configuration, "EdgeOps:Mqtt:Enabled", true, errors);
        if (Bind(() => configuration.GetSection(EdgeInfluxOptions.Section).Get<EdgeInfluxOptions>() ?? new EdgeInfluxOptions(), errors) is { Enabled: true })
        {
            if (!mqttEnabled)
            {
                errors.Add($"{EdgeInfluxOptions.Section}:Enabled needs EdgeOps:Mqtt:Enabled=true: the edge-local writer stores what the gateway publishes.");
            }

            if (Bind(() => configuration.GetSection(EdgeInfluxOptions.Section).Get<InfluxOptions>() ?? new InfluxOptions(), errors) is { } influx)
            {
                errors.AddRange(InfluxOptionsValidator.Errors(influx, EdgeInfluxOptions.Section));
            }
        }

        var mqtt = Bind(() => configuration.GetSection("EdgeOps:Mqtt").Get<MqttOptions>() ?? new MqttOptions(), errors);
        BrokerEndpoint? endpoint = null;
        if (mqtt is not null && mqttEnabled)
        {
            var mqttErrors = MqttOptionsValidator.Errors(mqtt);
            errors.AddRange(mqttErrors);
            endpoint = mqttErrors.Count == 0 ? mqtt.Endpoint : null;
            try
            {
                _ = mqttErrors.Count == 0 ? MqttCredentials.Resolve(mqtt, environment) : null;
            }
            catch (Exception ex) when (ex is FormatException or IOException or UnauthorizedAccessException)
            {
                errors.Add(ex.Message);
            }
        }

        if (Bind(() => configuration.GetSection(SparkplugOptions.Section).Get<SparkplugOptions>() ?? new SparkplugOptions(), errors) is { } sparkplug)
        {
            errors.AddRange(SparkplugOptionsValidator.Errors(sparkplug, embeddedBroker: endpoint is { Embedded: true }));
            if (sparkplug.Enabled && !mqttEnabled)
            {
                errors.Add("EdgeOps:Sparkplug:Enabled = true needs EdgeOps:Mqtt:Enabled = true: Sparkplug uses the broker, credentials and TLS of EdgeOps:Mqtt");
            }
        }

        if (configuration is IConfigurationRoot root && root.Providers.OfType<Microsoft.Extensions.Configuration.CommandLine.CommandLineConfigurationProvider>()
            .Any(p => p.TryGet("EdgeOps:Mqtt:Password", out _)))
        {
            errors.Add("EdgeOps:Mqtt:Password is on the command line, where ps shows it to every user: put EdgeOps__Mqtt__Password in "
                + "/etc/edgeops/edgeops.env (mode 0600) or a file of that name in /etc/edgeops/credentials/");
        }

        if (ProductionMode.Detect(environment) is { } production)
        {
            if (endpoint is { Embedded: true } && mqtt is { AllowEmbeddedInProduction: false })
            {
                errors.Add($"EdgeOps:Mqtt:Broker is 'embedded' in production ({production}): set EdgeOps:Mqtt:Broker=mqtt://host:1883 "
                    + "(EdgeOps__Mqtt__Broker in /etc/edgeops/edgeops.env), or EdgeOps:Mqtt:AllowEmbeddedInProduction=true "
                    + "if nothing but this device reads the line");
            }

            if (line is not null && gateway is not null && !gateway.Simulator.AllowInProduction && Simulated(line) is { } signal)
            {
                errors.Add($"EdgeOps:Simulator:AllowInProduction is not set, and the line file simulates signals ({signal} has no source) "
                    + $"in production ({production}): bind every signal to its source, or set EdgeOps:Simulator:AllowInProduction=true for a demo");
            }
        }

        return errors;
    }

    /// <summary>
    /// The line file <c>EdgeOps:Line</c> names, loaded and validated; the default path when the setting does not bind
    /// (<see cref="Check"/> reports that).
    /// </summary>
    public static (LineFile? File, IReadOnlyList<string> Errors) LoadLine(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        GatewayOptions options;
        try
        {
            options = configuration.GetSection(GatewayOptions.Section).Get<GatewayOptions>() ?? new GatewayOptions();
        }
        catch (InvalidOperationException)
        {
            options = new GatewayOptions { Line = configuration[$"{GatewayOptions.Section}:Line"] ?? new GatewayOptions().Line };
        }

        return LineFile.Load(options.Line);
    }

    /// <summary>The first simulated signal (<c>machine/signal</c>), or null when every signal has a real source.</summary>
    private static string? Simulated(LineDefinition line) => line.Machines
        .SelectMany(m => m.Signals.Select(s => (Machine: m.Id, Signal: s)))
        .Where(x => x.Signal.Source is null or SimulatorBinding)
        .Select(x => $"{x.Machine}/{x.Signal.Name}")
        .FirstOrDefault();

    private static T? Bind<T>(Func<T> bind, List<string> errors)
        where T : class
    {
        try
        {
            return bind();
        }
        catch (InvalidOperationException ex)
        {
            // The binder names the key whose value does not convert ("Failed to convert configuration value at 'EdgeOps:TickInterval'...").
            errors.Add($"{ex.Message}{(ex.InnerException is null ? string.Empty : " " + ex.InnerException.Message)}");
            return null;
        }
    }

    private static bool Bool(IConfiguration configuration, string key, bool fallback, List<string> errors)
    {
        var text = configuration[key];
        if (text is null)
        {
            return fallback;
        }

        if (bool.TryParse(text, out var value))
        {
            return value;
        }

        errors.Add($"{key} must be true or false, got '{text}'.");
        return fallback;
    }
}

/// <summary>
/// Whether the gateway runs as a production service: under systemd (<c>INVOCATION_ID</c> or <c>NOTIFY_SOCKET</c>,
/// which systemd sets for every service it starts) or with <c>DOTNET_ENVIRONMENT=Production</c> (the unit and the
/// container image set it). A developer's shell has none of these, so demos stay one command.
/// </summary>
internal static class ProductionMode
{
    /// <summary>Why this is production (for the error message), or null when it is not.</summary>
    public static string? Detect(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (!string.IsNullOrEmpty(environment("INVOCATION_ID")))
        {
            return "started by systemd: INVOCATION_ID is set";
        }

        if (!string.IsNullOrEmpty(environment("NOTIFY_SOCKET")))
        {
            return "started by systemd: NOTIFY_SOCKET is set";
        }

        foreach (var variable in new[] { "DOTNET_ENVIRONMENT", "ASPNETCORE_ENVIRONMENT" })
        {
            if (string.Equals(environment(variable), "Production", StringComparison.OrdinalIgnoreCase))
            {
                return $"{variable}=Production";
            }
        }

        return null;
    }
}
