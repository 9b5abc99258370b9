using EdgeOps.Contract;
using EdgeOps.Core.Engine;
using EdgeOps.Core.Signals;
using EdgeOps.Gateway.Condition;
using EdgeOps.Gateway.Configuration.Bindings;
using EdgeOps.Gateway.Configuration.Modbus;
using EdgeOps.Gateway.Engine;
using EdgeOps.Gateway.Influx;
using EdgeOps.Gateway.Storage;
using EdgeOps.Gateway.Web;
using EdgeOps.Publishing.Mqtt;
using EdgeOps.Publishing.Mqtt.Commands;
using EdgeOps.Publishing.Mqtt.Engine;
using EdgeOps.Sources;
using EdgeOps.Sources.Gpio;
using EdgeOps.Sources.Modbus;
using EdgeOps.Sources.OpcUa;
using EdgeOps.Publishing.Sparkplug;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace EdgeOps.Gateway.Hosting;

/// <summary>Builds and runs the gateway: configuration, the engine, sources, sinks and the web endpoints.</summary>
public static class GatewayHost
{
    /// <summary>Short switches for the common settings (<c>--config</c>, <c>--record</c>, <c>--data</c>).</summary>
    private static readonly Dictionary<string, string> Switches = new(StringComparer.Ordinal)
    {
        ["--config"] = "EdgeOps:Line",
        ["--record"] = "EdgeOps:Record",
        ["--data"] = "EdgeOps:DataDirectory",
    };

    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var builder = CreateWebBuilder(args);
        AddSettingsSources(builder.Configuration, args);

        // Settings and the line file are checked before anything is built: a misspelt key, a value that does not convert
        // or a production start without its opt-ins stops here, every problem named at once.
        var (line, errors) = GatewaySettings.LoadLine(builder.Configuration);
        var settingsErrors = GatewaySettings.Check(builder.Configuration, line?.Definition, Environment.GetEnvironmentVariable);
        if (settingsErrors.Count > 0)
        {
            foreach (var error in settingsErrors)
            {
                await Console.Error.WriteLineAsync($"edgeops: {error}").ConfigureAwait(false);
            }

            await Console.Error.WriteLineAsync($"edgeops: {settingsErrors.Count} error(s) in the settings; not starting.").ConfigureAwait(false);
            return 2;
        }

        if (line is null)
        {
            foreach (var error in errors)
            {
                await Console.Error.WriteLineAsync(error).ConfigureAwait(false);
            }

            await Console.Error.WriteLineAsync($"edgeops: {errors.Count} error(s) in the line configuration; not starting.").ConfigureAwait(false);
            return 2;
        }

        builder.AddEdgeOpsGateway(line);
        builder.Services.AddSystemdIntegration();
        await using var app = builder.Build();
        app.MapEdgeOpsApi();
        app.MapEdgeOpsWeb();
        await app.RunAsync(cancellationToken).ConfigureAwait(false);
        // Non-zero when a check after start stopped the host (e.g. the live view bound beyond loopback without a token).
        return Environment.ExitCode;
    }

    /// <summary>
    /// The web host the gateway (and <c>validate --settings</c>, which must read the same settings) is built on:
    /// ASP.NET Core's slim builder, which leaves out what the gateway never uses (IIS integration, HTTP/3 over QUIC, the
    /// regex route constraint, the Debug and EventSource loggers), so the Native AOT image does not carry them: every
    /// type compiled in is rehydrated into memory at start (docs/PERFORMANCE.md "Memory and start"). It keeps the same
    /// settings sources (appsettings.json, environment, command line), console logging and its "Logging" section, host
    /// filtering (EdgeOps:Web:AllowedHosts) and routing; HTTPS endpoints set in <c>Kestrel:Endpoints</c> are added back,
    /// as docs/live-view.md offers them.
    /// </summary>
    internal static WebApplicationBuilder CreateWebBuilder(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.UseKestrelHttpsConfiguration();
        return builder;
    }

    /// <summary>
    /// The settings sources beyond the defaults (appsettings.json beside the binary, environment), in the order the
    /// service reads them: <c>/etc/edgeops/appsettings.json</c>, the environment again (it overrides that file),
    /// systemd credentials, the command line. <c>edgeops validate --settings</c> reads the same.
    /// </summary>
    internal static void AddSettingsSources(ConfigurationManager configuration, string[] args)
    {
        configuration.AddJsonFile("/etc/edgeops/appsettings.json", optional: true, reloadOnChange: false);
        configuration.AddEnvironmentVariables();
        configuration.AddSystemdCredentials();
        configuration.AddCommandLine(args, Switches);
    }

    /// <summary>Registers everything the gateway runs. Order matters for shutdown: hosted services stop in reverse.</summary>
    public static WebApplicationBuilder AddEdgeOpsGateway(this WebApplicationBuilder builder, LineFile line)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(line);
        var services = builder.Services;
        services.AddGatewayOptions(builder.Configuration);
        // The one real-time clock: the engine's when the line is not simulated, the loop's cadence and the watchdog's.
        services.TryAddSingleton(TimeProvider.System);

        var web = builder.Configuration.GetValue<string>("EdgeOps:Web:Urls") ?? "http://127.0.0.1:8080";
        builder.WebHost.UseUrls(web);

        // Source-generated JSON only (Native AOT), enums as names in every JSON the gateway serves ("running", not 0).
        services.ConfigureHttpJsonOptions(o => GatewayJson.ConfigureApi(o.SerializerOptions));
        var overrides = builder.Configuration.GetSection($"{GatewayOptions.Section}:Simulator").Get<SimulatorOverrides>() ?? new();
        line = line with { Definition = SimulationSetup.ApplyOverrides(line.Definition, overrides) };
        services.AddSingleton(line);
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<GatewayOptions>>().Value;
            var logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger("EdgeOps.Startup");
            return EngineRuntime.Create(line.Definition, line.Text, options.DataDirectory, sp.GetRequiredService<TimeProvider>(),
                message => StartupLog.CheckpointWarning(logger, message));
        });
        services.AddSingleton(sp => sp.GetRequiredService<EngineRuntime>().Catalog);

        // The source kinds: each factory makes its kind's sources for the line (none when no signal uses it); the
        // simulator comes with the runtime, whose clock they all share.
        services.AddSingleton<ISignalSourceFactory, GpioSourceFactory>();
        services.AddSingleton<ISignalSourceFactory>(sp => new OpcUaSourceFactory(sp.GetRequiredService<ILoggerFactory>(),
            Path.Combine(sp.GetRequiredService<IOptions<GatewayOptions>>().Value.DataDirectory, "pki"),
            sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(),
            sp.GetRequiredService<IOptions<Configuration.OpcUa.OpcUaOptions>>().Value.ToCertificateSettings()));
        services.AddSingleton<ISignalSourceFactory, ModbusSourceFactory>();
        services.AddSingleton<LineSources>();
        services.AddSingleton<IEnumerable<ISignalSource>>(sp => sp.GetRequiredService<LineSources>().All);

        services.AddSingleton(sp => new SignalPipe(sp.GetRequiredService<IOptions<GatewayOptions>>().Value.SignalQueueCapacity));
        services.AddSingleton<EngineView>();
        services.AddSingleton<EngineCommands>();
        services.AddSingleton<IEngineSink, StateInputLogSink>();

        AddMqtt(builder, line);
        services.AddStorageGuard();
        var mqttSection = builder.Configuration.GetSection($"{GatewayOptions.Section}:Mqtt");
        var mqttOn = mqttSection.GetValue("Enabled", true);
        services.AddConditionMonitoring(builder.Configuration, line.Definition, json: mqttOn && mqttSection.GetValue("Json:Enabled", true), commands: mqttOn);
        services.AddEdgeInflux(builder.Configuration);

        // The engine loop first, so it stops last and drains what the sources queued.
        services.AddSingleton<EngineLoop>();
        services.AddHostedService(sp => sp.GetRequiredService<EngineLoop>());
        services.AddSingleton(sp => new Metrics.SourceStatistics(sp.GetRequiredService<SignalCatalog>().Count));
        services.AddSingleton<SourceRunner>();
        services.AddHostedService(sp => sp.GetRequiredService<SourceRunner>());
        services.AddHostedService<ConsoleSummary>();
        services.AddGpioOutputs(line.Definition);
        services.AddModbusOutputs(line.Definition);
        builder.AddEdgeOpsWeb();
        return builder;
    }

    /// <summary>
    /// MQTT publishing (issue 3): the embedded broker by default (<c>EdgeOps:Mqtt:Broker=embedded</c>, port
    /// <c>EdgeOps:Mqtt:EmbeddedPort</c>, 1883), or an external one (<c>EdgeOps:Mqtt:Broker=mqtt://host:1883</c>);
    /// <c>EdgeOps:Mqtt:Enabled=false</c> turns publishing off. Registered before the engine loop, so the publisher stops
    /// after the loop's final drain (what it enqueues is in the durable outbox either way).
    /// </summary>
    private static void AddMqtt(WebApplicationBuilder builder, LineFile line)
    {
        var section = builder.Configuration.GetSection($"{GatewayOptions.Section}:Mqtt");
        if (!section.GetValue("Enabled", true))
        {
            return;
        }

        var gateway = builder.Configuration.GetSection(GatewayOptions.Section).Get<GatewayOptions>() ?? new GatewayOptions();
        var configured = section.Get<MqttOptions>() ?? new MqttOptions();
        var definition = line.Definition;
        var mqtt = configured with
        {
            Site = definition.Site,
            GatewayId = gateway.ResolveGatewayId(),
            Version = typeof(GatewayHost).Assembly.GetName().Version?.ToString(3) ?? "0.0.0",
            ConfigHash = ConfigFingerprint.Of(line.Text),
            CommandFilters = configured.CommandFilters.Count > 0
                ? configured.CommandFilters
                : [MqttTopics.CommandFilter(definition.Site, definition.Area, definition.Line)],
            Outbox = section.GetSection("Outbox:Path").Value is null
                ? configured.Outbox with { Path = Path.Combine(gateway.DataDirectory, "outbox.db") }
                : configured.Outbox,
        };
        // Applied request ids live next to the outbox, so a redelivery after a restart is answered, not applied again.
        mqtt.Commands.RequestLogPath ??= Path.Combine(gateway.DataDirectory, "commands.db");
        var services = builder.Services;
        services.AddMqttPublishing(mqtt, definition);
        if (mqtt.Json.Enabled)
        {
            services.AddSingleton<IEngineSink>(sp => sp.GetRequiredService<MqttEngineBridge>());
        }

        // Sparkplug B beside (or instead of) the JSON contract: its own session and outbox on the same broker.
        var sparkplug = builder.Configuration.GetSection(SparkplugOptions.Section).Get<SparkplugOptions>() ?? new SparkplugOptions();
        if (sparkplug.Enabled)
        {
            services.AddSparkplug(SparkplugSettings.Resolve(sparkplug, definition.Site, definition.Area, mqtt.GatewayId, gateway.DataDirectory),
                mqtt, definition);
        }
        services.AddSingleton<IReadinessCheck>(sp => new MqttReadinessCheck(sp.GetRequiredService<MqttPublisher>()));
        services.AddSingleton<ICommandHandler>(sp =>
        {
            var commands = sp.GetRequiredService<EngineCommands>();
            return new LineEngineCommandHandler((work, ct) => commands.InvokeAsync(work, ct));
        });
    }
}

internal static partial class StartupLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "{Message}")]
    public static partial void CheckpointWarning(ILogger logger, string message);
}
