using System.CommandLine;
using System.Device.Gpio;
using System.Globalization;
using System.Threading.Channels;
using EdgeOps.Core.Model;
using EdgeOps.Core.Signals;
using EdgeOps.Gateway.Configuration;
using EdgeOps.Sources.Gpio;

namespace EdgeOps.Gateway.Cli;

/// <summary>
/// <c>edgeops gpio watch [pins] [--config line.yaml]</c>: opens the line's GPIO inputs (or just the listed lines) with
/// their configured debounce and polarity and prints each one's level and pulse count, refreshed, so an electrician
/// can check the wiring at commissioning: press the sensor, see the count go up.
/// </summary>
internal sealed class GpioWatchCommand : CliCommand
{
    private readonly Argument<string[]> _pins = new("pins") { Description = "GPIO line numbers to watch (default: every configured input)", Arity = ArgumentArity.ZeroOrMore };

    private readonly CliOptions _options = new CliOptions()
        .Text("config", "line.yaml", $"the line file (default {GpioCliSupport.DefaultLine})")
        .Text("for", "duration", "stop after this long, e.g. 10s (default: until Ctrl+C)")
        .Text("interval", "duration", "refresh interval (default 500ms)");

    private readonly Func<GpioDefinition, BoardDefinition, GpioController> _openController;
    private readonly TimeProvider _clock;

    public GpioWatchCommand()
        : this(GpioCliSupport.RealController, TimeProvider.System)
    {
    }

    internal GpioWatchCommand(Func<GpioDefinition, BoardDefinition, GpioController> openController, TimeProvider clock)
    {
        _openController = openController;
        _clock = clock;
    }

    public override IReadOnlyList<string> Path { get; } = ["gpio", "watch"];

    public override string Description => "live levels and pulse counts per input, with the configured debounce and polarity";

    protected override void Define(Command command)
    {
        command.Add(_pins);
        _options.AddTo(command);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parsed, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var options = _options.Read(parsed);
        string? problem = null;
        var pins = new List<int>();
        foreach (var p in parsed.GetValue(_pins) ?? [])
        {
            if (!int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var pin))
            {
                problem ??= $"'{p}' is not a GPIO line number";
            }

            pins.Add(pin);
        }

        TimeSpan? duration = null;
        if (options.Get("for") is { } forText)
        {
            duration = Durations.TryParse(forText, out var d) ? d : null;
            problem ??= duration is null ? $"--for '{forText}': expected {Durations.Expected}" : null;
        }

        var interval = TimeSpan.FromMilliseconds(500);
        if (options.Get("interval") is { } intervalText && !Durations.TryParse(intervalText, out interval))
        {
            problem ??= $"--interval '{intervalText}': expected {Durations.Expected}";
        }

        if (problem is not null)
        {
            await error.WriteLineAsync($"edgeops gpio watch: {problem}. Run 'edgeops gpio watch --help' for usage.").ConfigureAwait(false);
            return CliInvocation.UsageError;
        }

        var path = options.Get("config") ?? GpioCliSupport.DefaultLine;
        if (GpioCliSupport.LoadLine(path, error, "gpio watch") is not { } line
            || GpioCliSupport.GpioOf(line, path, error, "gpio watch") is not { } gpio)
        {
            return 2;
        }

        var inputs = SelectInputs(line, pins, gpio.Board, error);
        if (inputs is null)
        {
            return 2;
        }

        var chip = GpioHardware.Describe(GpioHardware.ChipFor(gpio.Gpio, gpio.Board));
        GpioController controller;
        try
        {
            controller = _openController(gpio.Gpio, gpio.Board);
        }
        catch (GpioUnavailableException e)
        {
            await error.WriteLineAsync($"edgeops gpio watch: {e.Message}").ConfigureAwait(false);
            return 1;
        }

        // The watch is the only reader: a generous channel that nobody drains is fine for a commissioning session.
        var sink = Channel.CreateUnbounded<Signal>();
        using var source = new GpioSource(inputs, () => controller, chip, _clock);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var run = source.RunAsync(sink.Writer, stop.Token);
        await output.WriteLineAsync($"Watching {inputs.Count} GPIO inputs on {chip} (board {gpio.Board.Id}); Ctrl+C to stop.").ConfigureAwait(false);
        var until = duration is null ? (DateTimeOffset?)null : _clock.GetUtcNow() + duration.Value;
        try
        {
            using var timer = new PeriodicTimer(interval, _clock);
            do
            {
                while (sink.Reader.TryRead(out _))
                {
                }

                if (run.IsCompleted)
                {
                    break;
                }

                if (source.IsConnected)
                {
                    await Print(source, output).ConfigureAwait(false);
                }

                if (until is not null && _clock.GetUtcNow() >= until)
                {
                    break;
                }
            }
            while (await timer.WaitForNextTickAsync(stop.Token).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C: a normal end.
        }

        await stop.CancelAsync().ConfigureAwait(false);
        await run.ConfigureAwait(false);
        await Print(source, output).ConfigureAwait(false);
        return 0;
    }

    private static List<GpioInputSpec>? SelectInputs(LineDefinition line, List<int> pins, BoardDefinition board, TextWriter error)
    {
        var configured = GpioSource.FromCatalog(new SignalCatalog(line));
        if (pins.Count == 0)
        {
            if (configured.Count == 0)
            {
                error.WriteLine("edgeops gpio watch: the line has no GPIO inputs; name the lines to watch (edgeops gpio watch 17 27)");
                return null;
            }

            return [.. configured];
        }

        var result = new List<GpioInputSpec>();
        foreach (var pin in pins.Distinct())
        {
            if (board.Pins.All(p => p.Line != pin))
            {
                error.WriteLine($"edgeops gpio watch: line {pin} does not exist on board '{board.Id}'");
                return null;
            }

            // A configured input keeps its binding; any other line is watched raw (no debounce, active high).
            result.Add(configured.FirstOrDefault(c => c.Binding.Pin == pin)
                ?? new GpioInputSpec(-1 - pin, $"line {pin}", new GpioBinding { Pin = pin, Debounce = TimeSpan.Zero }, IsPulse: true));
        }

        return result;
    }

    private static Task Print(GpioSource source, TextWriter output)
    {
        var lines = source.Inputs.Select(i => string.Create(
            CultureInfo.InvariantCulture,
            $"  {i.Spec.Binding.Pin,4}  {i.Spec.Key,-28} {(i.Level ? "ACTIVE" : "-"),-7} wire {(i.RawWireLevel ? "high" : "low "),-5} pulses {i.Pulses,8}  edges {i.RawEdges,8}"));
        return output.WriteLineAsync(string.Join(Environment.NewLine, lines));
    }
}
