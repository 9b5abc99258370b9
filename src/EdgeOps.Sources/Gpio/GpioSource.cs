using System.Device.Gpio;
using System.Threading.Channels;
using EdgeOps.Core.Model;
using EdgeOps.Core.Signals;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeOps.Sources.Gpio;

/// <summary>
/// GPIO inputs of a line through <see cref="GpioController"/>: pulse counters for count roles, debounced levels
/// for state roles. Edge callbacks never block: signals go through a <see cref="SignalOutbox"/> so a full engine
/// channel delays pulses but loses none. If the controller fails, every input is marked bad and the source
/// reopens it with backoff.
/// </summary>
public sealed class GpioSource : ISignalSource, IDisposable
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxRetry = TimeSpan.FromSeconds(30);

    private readonly Func<GpioController> _openController;
    private readonly string _chip;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly SignalOutbox _outbox = new();
    private readonly GpioInput[] _inputs;
    private readonly TimeSpan _heartbeat;
    private volatile bool _connected;

    /// <param name="inputs">The inputs to read (see <see cref="FromCatalog"/>).</param>
    /// <param name="openController">Opens the controller; called again after a failure. The source disposes what it returns.</param>
    /// <param name="chip">The chip's name for logs.</param>
    /// <param name="clock">Edge timestamps and debounce timers come from here.</param>
    /// <param name="logger">Optional logger.</param>
    /// <param name="heartbeat">How often unchanged inputs are re-sent so the engine sees them fresh; null: 5 s.</param>
    public GpioSource(IReadOnlyList<GpioInputSpec> inputs, Func<GpioController> openController, string chip, TimeProvider clock, ILogger? logger = null, TimeSpan? heartbeat = null)
    {
        _heartbeat = heartbeat ?? TimeSpan.FromSeconds(5);
        ArgumentNullException.ThrowIfNull(inputs);
        _openController = openController;
        _chip = chip;
        _clock = clock;
        _logger = logger ?? NullLogger.Instance;
        _inputs = [.. inputs.Select(i => new GpioInput(i, clock, _outbox))];
    }

    public string Name => "gpio";

    public bool IsConnected => _connected;

    /// <summary>The inputs, for <c>edgeops gpio watch</c> and health.</summary>
    public IReadOnlyList<GpioInput> Inputs => _inputs;

    /// <summary>Signals waiting for room in the engine's channel.</summary>
    public SignalOutbox Outbox => _outbox;

    /// <summary>Every signal of the line bound to a GPIO pin: count roles become pulse counters, the rest levels.</summary>
    public static IReadOnlyList<GpioInputSpec> FromCatalog(SignalCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return
        [
            .. catalog.All
                .Where(s => s.Definition.Source is GpioBinding)
                .Select(s => new GpioInputSpec(s.Handle, s.Key, (GpioBinding)s.Definition.Source!, IsPulseRole(s.Definition.Role))),
        ];
    }

    public async Task RunAsync(ChannelWriter<Signal> output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        _outbox.Attach(output);
        var delay = FirstRetry;
        while (!cancellationToken.IsCancellationRequested)
        {
            GpioController? controller = null;
            try
            {
                controller = _openController();
                foreach (var input in _inputs)
                {
                    if (!input.Start(controller))
                    {
                        GpioLog.PullUnsupported(_logger, input.Spec.Key, input.Spec.Binding.Pin, input.Spec.Binding.Pull.ToString());
                    }
                }

                _connected = true;
                delay = FirstRetry;
                GpioLog.Started(_logger, _inputs.Length, _chip);
                await Task.WhenAll(_outbox.RunAsync(cancellationToken), HeartbeatAsync(cancellationToken)).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                _connected = false;
                GpioLog.Failed(_logger, ex, delay);
                var now = _clock.GetUtcNow();
                foreach (var input in _inputs)
                {
                    _outbox.OfferValue(new Signal(input.Spec.Handle, double.NaN, now, SignalQuality.Bad));
                }

                StopAll(controller);
                controller = null;
                await Task.Delay(delay, _clock, cancellationToken).ConfigureAwait(false);
                delay = Backoff.Next(delay, MaxRetry);
            }
            finally
            {
                if (controller is not null)
                {
                    StopAll(controller);
                }
            }
        }

        _connected = false;
    }

    private async Task HeartbeatAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_heartbeat, _clock);
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            var now = _clock.GetUtcNow();
            foreach (var input in _inputs)
            {
                input.Heartbeat(now);
            }
        }
    }

    public void Dispose()
    {
        foreach (var input in _inputs)
        {
            input.Dispose();
        }
    }

    /// <summary>Count roles are read as pulse counters; every other role as a level.</summary>
    public static bool IsCountRole(SignalRole role) =>
        role is SignalRole.Total or SignalRole.Good or SignalRole.Reject or SignalRole.Rework;

    /// <summary>Roles read as pulses (edges counted): the counts, and reason buttons (each press is one pulse).</summary>
    public static bool IsPulseRole(SignalRole role) => IsCountRole(role) || role == SignalRole.ReasonSelect;

    private void StopAll(GpioController? controller)
    {
        foreach (var input in _inputs)
        {
            try
            {
                input.Stop();
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Closing a pin on a failed chip can fail too; the pin is gone either way.
                GpioLog.Failed(_logger, ex, TimeSpan.Zero);
            }
        }

        controller?.Dispose();
    }
}
