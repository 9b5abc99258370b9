using System.Globalization;
using System.Text;
using System.Threading.Channels;
using EdgeOps.Contract;
using EdgeOps.Contract.Payloads;
using EdgeOps.Core.Engine;
using EdgeOps.Core.Engine.Events;
using EdgeOps.Core.Model;
using EdgeOps.Core.Signals;
using EdgeOps.Gateway.Hosting;
using EdgeOps.Publishing.Mqtt.Engine;
using EdgeOps.Publishing.Outbox;
using EdgeOps.Sources;
using EdgeOps.Sources.Gpio;
using EdgeOps.Sources.Modbus;
using EdgeOps.Sources.OpcUa;
using Microsoft.Extensions.Logging.Console;

namespace EdgeOps.Gateway.Cli;

/// <summary>
/// <c>edgeops run --once</c>, a dry run for commissioning without a broker (as Telegraf's <c>--once</c>): reads every
/// configured hardware source (GPIO, sensors, OPC UA, Modbus) until each of its signals has a value, prints the signals
/// and the MQTT messages the gateway would publish for them, and exits 0; or 1 naming each source that could not be
/// read and why. Nothing is written: no outbox, no checkpoint, no broker.
/// </summary>
internal static class RunOnce
{
    /// <summary>Source name of signals the simulator makes: not hardware, so not read here.</summary>
    private const string Simulator = "simulator";

    public static async Task<int> RunAsync(string[] hostArguments, TimeSpan timeout, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        // The settings exactly as the service reads them (the same sources, the same checks).
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = hostArguments, ContentRootPath = AppContext.BaseDirectory });
        GatewayHost.AddSettingsSources(builder.Configuration, hostArguments);
        var (file, lineErrors) = GatewaySettings.LoadLine(builder.Configuration);
        var problems = GatewaySettings.Check(builder.Configuration, file?.Definition, Environment.GetEnvironmentVariable).Concat(lineErrors).ToList();
        if (file is null || problems.Count > 0)
        {
            foreach (var problem in problems)
            {
                await error.WriteLineAsync(problem).ConfigureAwait(false);
            }

            await error.WriteLineAsync($"edgeops run --once: {problems.Count} error(s) in the settings or the line file; nothing read.").ConfigureAwait(false);
            return CliInvocation.UsageError;
        }

        var options = builder.Configuration.GetSection(GatewayOptions.Section).Get<GatewayOptions>() ?? new GatewayOptions();
        var line = file.Definition;
        var catalog = new SignalCatalog(line);
        var clock = TimeProvider.System;

        // The sources log why they cannot connect (refused, certificate not trusted, bad password): to standard error.
        using var loggers = LoggerFactory.Create(b =>
        {
            b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
            b.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        });
        // The same source factories the service resolves as a collection (without a host: no meters).
        ISignalSourceFactory[] factories =
        [
            new GpioSourceFactory(loggers),
            new OpcUaSourceFactory(loggers, Path.Combine(options.DataDirectory, "pki")),
            new ModbusSourceFactory(loggers),
        ];
        var sources = factories.SelectMany(factory => factory.Create(catalog, clock)).ToList();

        var expected = catalog.All.Where(s => SourceOf(s.Definition) != Simulator).ToList();
        var simulated = catalog.Count - expected.Count;
        if (simulated > 0)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"# {simulated} signal(s) of {line.Line} come from the simulator: not read by --once")).ConfigureAwait(false);
        }

        var start = clock.GetUtcNow();
        var reading = await ReadAsync(sources, expected, timeout, cancellationToken).ConfigureAwait(false);
        var failures = Failures(sources, expected, reading, timeout);
        await PrintSignalsAsync(expected, reading, output).ConfigureAwait(false);
        await PrintMessagesAsync(catalog, reading, start, clock.GetUtcNow(), output).ConfigureAwait(false);
        foreach (var failure in failures)
        {
            await error.WriteLineAsync("edgeops run --once: " + failure).ConfigureAwait(false);
        }

        return failures.Count > 0 ? 1 : 0;
    }

    /// <summary>The source that reads a signal, named as the source names itself (<see cref="ISignalSource.Name"/>).</summary>
    private static string SourceOf(SignalDefinition signal) => signal.Source switch
    {
        OpcUaBinding b => "opcua:" + b.Endpoint,
        ModbusBinding b => "modbus:" + b.Device,
        GpioBinding => "gpio",
        SensorBinding => "sensors",
        _ => Simulator,
    };

    /// <summary>A pulse count reports edges only: a machine standing still gives it nothing to read.</summary>
    private static bool IsPulseCount(SignalDefinition signal) =>
        signal.Role is SignalRole.Total or SignalRole.Good or SignalRole.Reject or SignalRole.Rework && signal.CountMode == CountMode.Pulse;

    /// <summary>Runs every source until each expected signal (pulse counts aside) has a value, or the timeout.</summary>
    private static async Task<Reading> ReadAsync(IReadOnlyList<ISignalSource> sources, IReadOnlyList<SignalInfo> expected, TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        var reading = new Reading();
        var waitingFor = expected.Where(s => !IsPulseCount(s.Definition)).Select(s => s.Handle).ToHashSet();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(timeout);
        if (waitingFor.Count == 0 && sources.Count == 0)
        {
            return reading;
        }

        async Task RunOneAsync(ISignalSource source)
        {
            var channel = Channel.CreateUnbounded<Signal>(new UnboundedChannelOptions { SingleReader = true });
            var run = Task.Run(() => source.RunAsync(channel.Writer, stop.Token), CancellationToken.None);
            var read = Task.Run(async () =>
            {
                try
                {
                    await foreach (var signal in channel.Reader.ReadAllAsync(stop.Token).ConfigureAwait(false))
                    {
                        lock (reading)
                        {
                            reading.Signals.Add(signal);
                            reading.Latest[signal.Handle] = signal;
                            reading.From[signal.Handle] = source.Name;
                            if (signal.Quality != SignalQuality.Bad && waitingFor.Remove(signal.Handle) && waitingFor.Count == 0)
                            {
                                // Every signal has answered: no need to wait out the timeout.
                                stop.Cancel();
                            }
                        }
                    }
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    // Done reading.
                }
            }, CancellationToken.None);
            try
            {
                await run.ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // Stopped by us: the normal end.
            }
#pragma warning disable CA1031 // A source that cannot start (no GPIO chip, no I2C bus) is reported by name, not thrown.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                lock (reading)
                {
                    reading.Crashed[source.Name] = ex.Message;
                }
            }

            channel.Writer.TryComplete();
            await read.ConfigureAwait(false);
        }

        await Task.WhenAll(sources.Select(RunOneAsync)).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        return reading;
    }

    /// <summary>One line per source that could not be read: it failed, gave nothing, or gave a bad value.</summary>
    private static List<string> Failures(IReadOnlyList<ISignalSource> sources, IReadOnlyList<SignalInfo> expected, Reading reading, TimeSpan timeout)
    {
        var failures = new List<string>();
        foreach (var source in sources)
        {
            var mine = expected.Where(s => SourceOf(s.Definition) == source.Name).ToList();
            if (reading.Crashed.TryGetValue(source.Name, out var message))
            {
                failures.Add($"{source.Name} could not be read: {message}");
                continue;
            }

            var bad = mine.Where(s => reading.Latest.TryGetValue(s.Handle, out var v) && v.Quality == SignalQuality.Bad).Select(s => s.Key).ToList();
            var missing = mine.Where(s => !reading.Latest.ContainsKey(s.Handle) && !IsPulseCount(s.Definition)).Select(s => s.Key).ToList();
            var connection = source.IsConnected ? string.Empty : " (not connected; the reason is logged above)";
            if (bad.Count > 0)
            {
                failures.Add($"{source.Name} could not be read: bad quality for {string.Join(", ", bad)}{connection}");
            }

            if (missing.Count > 0)
            {
                var seconds = timeout.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture);
                failures.Add($"{source.Name} could not be read: no value for {string.Join(", ", missing)} within {seconds} s{connection}");
            }
        }

        return failures;
    }

    private static async Task PrintSignalsAsync(IReadOnlyList<SignalInfo> expected, Reading reading, TextWriter output)
    {
        await output.WriteLineAsync("signals:").ConfigureAwait(false);
        var width = expected.Select(s => s.Key.Length).DefaultIfEmpty(0).Max();
        foreach (var signal in expected)
        {
            var text = reading.Latest.TryGetValue(signal.Handle, out var value)
                ? $"{(value.Quality == SignalQuality.Bad ? "-" : PayloadFormat.Text(value.Value))}  {value.Quality}  {reading.From[signal.Handle]}  {PayloadFormat.Time(value.Timestamp)}"
                : IsPulseCount(signal.Definition)
                    ? $"(no pulse while reading)  {SourceOf(signal.Definition)}"
                    : $"(no value)  {SourceOf(signal.Definition)}";
            await output.WriteLineAsync($"  {signal.Key.PadRight(width)}  {text}").ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The messages the gateway would publish for what was read: the engine fed the signals in time order, then each
    /// machine's state, counts and KPIs and the engine's events, on the contract's topics (seq as a first start gives).
    /// </summary>
    private static async Task PrintMessagesAsync(SignalCatalog catalog, Reading reading, DateTimeOffset start, DateTimeOffset end, TextWriter output)
    {
        var signals = reading.Signals.OrderBy(s => s.Timestamp).ToList();
        // Start the engine no later than the first value it is given, so an old PLC timestamp is not "before the start".
        var engineStart = signals.Count > 0 && signals[0].Timestamp < start ? signals[0].Timestamp : start;
        var now = signals.Count > 0 && signals[^1].Timestamp > end ? signals[^1].Timestamp : end;
        var engine = new LineEngine(catalog, engineStart);
        foreach (var signal in signals)
        {
            engine.Process(signal);
        }

        engine.Advance(now);
        var events = new List<EngineEvent>();
        engine.DrainEvents(events);
        var snapshot = engine.GetLineSnapshot(now);
        var messages = new List<OutgoingMessage>();
        foreach (var machine in snapshot.Machines)
        {
            var topics = MqttTopics.Machine(snapshot.Site, snapshot.Area, snapshot.Line, machine.MachineId);
            messages.Add(OutgoingMessage.Json(topics.State, MessageKind.Snapshot, EnginePayloads.State(machine, now), PayloadJsonContext.Default.StatePayload));
            messages.Add(OutgoingMessage.Json(topics.Counts, MessageKind.Snapshot, EnginePayloads.Counts(machine, now), PayloadJsonContext.Default.CountsPayload));
            messages.Add(OutgoingMessage.Json(topics.Kpi, MessageKind.Snapshot, EnginePayloads.Kpi(machine, now), PayloadJsonContext.Default.KpiPayload));
        }

        foreach (var engineEvent in events)
        {
            if (EnginePayloads.Event(engineEvent, now) is { } payload)
            {
                var topics = MqttTopics.Machine(snapshot.Site, snapshot.Area, snapshot.Line, engineEvent.MachineId);
                messages.Add(OutgoingMessage.Json(topics.Events, MessageKind.Event, payload, PayloadJsonContext.Default.EventPayload));
            }
        }

        await output.WriteLineAsync("messages (not published: --once contacts no broker):").ConfigureAwait(false);
        var seqs = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var message in messages)
        {
            var seq = seqs[message.Topic] = seqs.GetValueOrDefault(message.Topic) + 1;
            var payload = Encoding.UTF8.GetString(message.RenderPayload(seq));
            await output.WriteLineAsync($"  {message.Topic}{(message.Retain ? " (retained)" : string.Empty)} {payload}").ConfigureAwait(false);
        }
    }

    /// <summary>What the sources delivered: every signal in arrival order, and the latest per handle with its source.</summary>
    private sealed class Reading
    {
        public List<Signal> Signals { get; } = [];

        public Dictionary<int, Signal> Latest { get; } = [];

        public Dictionary<int, string> From { get; } = [];

        public Dictionary<string, string> Crashed { get; } = new(StringComparer.Ordinal);
    }
}
