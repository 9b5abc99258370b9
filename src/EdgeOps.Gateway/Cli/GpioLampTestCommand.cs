using System.Device.Gpio;
using EdgeOps.Core.Model;
using EdgeOps.Sources.Gpio;
using EdgeOps.Sources.Outputs;

namespace EdgeOps.Gateway.Cli;

/// <summary>
/// <c>edgeops gpio lamp-test [--config line.yaml]</c>: lights every lamp of every configured stack light in turn,
/// then switches them off, so the wiring (and every bulb) is checked before the gateway takes over.
/// </summary>
internal sealed class GpioLampTestCommand : ICommand
{
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

    public IReadOnlyList<string> Path { get; } = ["gpio", "lamp-test"];

    public string Usage => "gpio lamp-test [--config <line.yaml>]   light each stack-light lamp in turn, then all off";

    public async Task<int> RunAsync(IReadOnlyList<string> arguments, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var (options, positional, problem) = GpioCliSupport.Parse(arguments, "--config");
        if (problem is not null || positional.Count > 0)
        {
            await error.WriteLineAsync($"gpio lamp-test: {problem ?? $"unexpected argument '{positional[0]}'"}. Usage: edgeops {Usage}").ConfigureAwait(false);
            return 64;
        }

        var path = options.GetValueOrDefault("--config") ?? GpioCliSupport.DefaultLine;
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
