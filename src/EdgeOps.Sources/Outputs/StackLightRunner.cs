using System.Device.Gpio;
using EdgeOps.Core.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeOps.Sources.Outputs;

/// <summary>
/// Runs the line's stack lights: opens them, runs the lamp test, shows states as the engine reports them
/// (<see cref="Show"/>), ticks flashing lamps, and switches everything off when stopped, even after an error.
/// </summary>
public sealed class StackLightRunner
{
    private readonly StackLight[] _lights;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;

    public StackLightRunner(IEnumerable<StackLightDefinition> definitions, GpioController controller, TimeProvider clock, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(definitions);
        _lights = [.. definitions.Select(d => new StackLight(d, controller))];
        _clock = clock;
        _logger = logger ?? NullLogger.Instance;
    }

    public IReadOnlyList<StackLight> Lights => _lights;

    /// <summary>A machine's state changed (from the engine's state events).</summary>
    public void Show(string machineId, StateCategory state, DateTimeOffset since)
    {
        var now = _clock.GetUtcNow();
        foreach (var light in _lights)
        {
            if (string.Equals(light.Definition.Machine, machineId, StringComparison.Ordinal))
            {
                light.Show(state, since, now);
            }
        }
    }

    /// <summary>Lamp test, then ticks until cancelled; lamps off on the way out.</summary>
    public async Task RunAsync(bool lampTest, CancellationToken cancellationToken)
    {
        try
        {
            foreach (var light in _lights)
            {
                light.Open(_clock.GetUtcNow());
            }

            if (lampTest)
            {
                await Task.WhenAll(_lights.Select(l => l.LampTestAsync(_clock, cancellationToken))).ConfigureAwait(false);
            }

            OutputLog.LampTestDone(_logger, _lights.Length);
            var tick = _lights.Length == 0 ? TimeSpan.FromSeconds(1) : _lights.Min(l => l.Definition.FlashHalfPeriod) / 5;
            using var timer = new PeriodicTimer(tick, _clock);
            do
            {
                var now = _clock.GetUtcNow();
                foreach (var light in _lights)
                {
                    light.Tick(now);
                }
            }
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: fall through to safe off.
        }
        finally
        {
            foreach (var light in _lights)
            {
                try
                {
                    light.SafeOff();
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    OutputLog.SafeOffFailed(_logger, ex, light.Definition.Id);
                }
            }
        }
    }
}
