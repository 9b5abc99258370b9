using System.Device.Gpio;
using System.Threading.Channels;
using EdgeOps.Core.Engine;
using EdgeOps.Core.Engine.Events;
using EdgeOps.Core.Model;
using EdgeOps.Gateway.Engine;
using EdgeOps.Sources.Gpio;
using EdgeOps.Sources.Outputs;

namespace EdgeOps.Gateway.Configuration.Bindings;

/// <summary>
/// The stack lights as an engine sink: state changes are queued on the engine thread (no I/O there) and applied by
/// this service's loop, which also runs the lamp test at start and switches every lamp off at stop. A missing GPIO
/// chip is logged and retried; the gateway runs on without its lights.
/// </summary>
internal sealed partial class GpioStackLightService : BackgroundService, IEngineSink
{
    private readonly IReadOnlyList<StackLightDefinition> _lights;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly Func<GpioController> _open;
    private readonly Channel<(string Machine, StateCategory State, DateTimeOffset Since)> _changes =
        Channel.CreateBounded<(string, StateCategory, DateTimeOffset)>(new BoundedChannelOptions(1024) { FullMode = BoundedChannelFullMode.DropOldest });
    private readonly Dictionary<string, (StateCategory, DateTimeOffset)> _shown = new(StringComparer.Ordinal);

    public GpioStackLightService(LineDefinition line, TimeProvider clock, ILoggerFactory loggers, Func<GpioDefinition, BoardDefinition, GpioController>? open = null)
        : this(
            [.. line.Sources.Outputs!.StackLights.Where(l => l.Device is null)],
            () => (open ?? ((g, b) => GpioHardware.Open(g, b)))(line.Sources.Gpio!, line.Sources.Gpio!.ResolvedBoard!),
            clock,
            loggers)
    {
    }

    /// <summary>
    /// Lights on any <see cref="GpioController"/>: the board's, or one whose driver writes Modbus coils
    /// (<see cref="Sources.Outputs.ModbusCoilDriver"/>).
    /// </summary>
    public GpioStackLightService(IReadOnlyList<StackLightDefinition> lights, Func<GpioController> open, TimeProvider clock, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(loggers);
        _lights = lights;
        _clock = clock;
        _logger = loggers.CreateLogger<GpioStackLightService>();
        _open = open;
    }

    public void OnEvent(EngineEvent engineEvent)
    {
        if (engineEvent is StateChangedEvent changed)
        {
            Queue(changed.MachineId, changed.To, changed.Timestamp);
        }
    }

    public void OnSnapshot(LineSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        foreach (var machine in snapshot.Machines)
        {
            Queue(machine.MachineId, machine.State, machine.StateSince);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            GpioController controller;
            try
            {
                controller = _open();
            }
            catch (GpioUnavailableException e)
            {
                LogUnavailable(_logger, e.Message, delay);
                await Task.Delay(delay, _clock, stoppingToken).ConfigureAwait(false);
                delay = Backoff.Next(delay, TimeSpan.FromMinutes(1));
                continue;
            }

            using (controller)
            {
                var runner = new StackLightRunner(_lights, controller, _clock, _logger);
                using var stop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                var run = runner.RunAsync(lampTest: true, stop.Token);
                try
                {
                    await foreach (var (machine, state, since) in _changes.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
                    {
                        runner.Show(machine, state, since);
                    }
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    // Stopping: the runner switches the lamps off.
                }

                await stop.CancelAsync().ConfigureAwait(false);
                await run.ConfigureAwait(false);
            }

            return;
        }
    }

    private void Queue(string machine, StateCategory state, DateTimeOffset since)
    {
        lock (_shown)
        {
            if (_shown.TryGetValue(machine, out var last) && last == (state, since))
            {
                return;
            }

            _shown[machine] = (state, since);
        }

        // Only the latest state matters for a lamp, so dropping the oldest under a flood loses nothing visible.
        _changes.Writer.TryWrite((machine, state, since));
    }

    [LoggerMessage(EventId = 5120, Level = LogLevel.Warning, Message = "Stack lights unavailable: {Reason}; retrying in {Delay}")]
    private static partial void LogUnavailable(ILogger logger, string reason, TimeSpan delay);
}
