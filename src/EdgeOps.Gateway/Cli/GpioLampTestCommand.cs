using System.CommandLine;
using System.Device.Gpio;
using EdgeOps.Core.Model;
using EdgeOps.Sources.Gpio;
using EdgeOps.Sources.Outputs;

namespace EdgeOps.Gateway.Cli;

/// <summary>
/// <c>edgeops gpio lamp-test [--config line.yaml]</c>: lights every lamp of every configured stack light in turn,
/// then switches them off, so the wiring (and every bulb) is checked before the gateway takes over.
/// </summary>
internal sealed class GpioLampTestCommand : CliCommand
{
    private readonly CliOptions _options = new CliOptions()
        .Text("config", "line.yaml", $"the line file (default {GpioCliSupport.DefaultLine})");

    private readonly Func<GpioDefinition, BoardDefinition, GpioController> _openController;
    private readonly TimeProvider _clock;

    public GpioLampTestCommand()
        : this(GpioCliSupport.RealController, TimeProvider.System)
    {
    }

    internal GpioLampTestCommand(Func<GpioDefinition, BoardDefinition, GpioController> openController, TimeProvider clock)
    {
        _openController = openController;
        _clock = clock;
    }

    public override IReadOnlyList<string> Path { get; } = ["gpio", "lamp-test"];

    public override string Description => "light each stack-light lamp in turn, then all off";

    protected override void Define(Command command) => _options.AddTo(command);

    protected override async Task<int> ExecuteAsync(ParseResult parsed, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var path = _options.Read(parsed).Get("config") ?? GpioCliSupport.DefaultLine;
        if (GpioCliSupport.LoadLine(path, error, "gpio lamp-test") is not { } line
            || GpioCliSupport.GpioOf(line, path, error, "gpio lamp-test") is not { } gpio)
        {
            return 2;
        }

        var lights = (line.Sources.Outputs?.StackLights ?? []).Where(l => l.Device is null).ToList();
        if (lights.Count == 0)
        {
            await error.WriteLineAsync($"edgeops gpio lamp-test: {path} configures no stack lights (sources: outputs: stackLights:)").ConfigureAwait(false);
            return 2;
        }

        GpioController controller;
        try
        {
            controller = _openController(gpio.Gpio, gpio.Board);
        }
        catch (GpioUnavailableException e)
        {
            await error.WriteLineAsync($"edgeops gpio lamp-test: {e.Message}").ConfigureAwait(false);
            return 1;
        }

        using (controller)
        {
            foreach (var definition in lights)
            {
                using var light = new StackLight(definition, controller);
                light.Open(_clock.GetUtcNow());
                await output.WriteLineAsync($"{definition.Id} ({definition.Machine}): {string.Join(" → ", definition.Lamps.Select(l => $"{l.Key} (line {l.Value})"))}").ConfigureAwait(false);
                try
                {
                    await light.LampTestAsync(_clock, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    light.SafeOff();
                }
            }
        }

        await output.WriteLineAsync("Lamp test done; all lamps off.").ConfigureAwait(false);
        return 0;
    }
}
