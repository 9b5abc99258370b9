using System.Device.Gpio;
using EdgeOps.Core.Model;
using EdgeOps.Core.Signals;

namespace EdgeOps.Sources.Gpio;

/// <summary>
/// One input pin at run time: takes the edge time from the clock the moment the driver calls back (the event
/// args carry no timestamp), filters bounce, and turns debounced transitions into signals.
/// </summary>
public sealed class GpioInput : IDisposable
{
    private readonly GpioInputSpec _spec;
    private readonly TimeProvider _clock;
    private readonly SignalOutbox _outbox;
    private readonly Lock _lock = new();
    private readonly PinChangeEventHandler _handler;
    private GpioController? _controller;
    private EdgeFilter? _filter;
    private ITimer? _timer;
    private long _pulses;
    private long _rawEdges;
    private bool _rawWire;

    public GpioInput(GpioInputSpec spec, TimeProvider clock, SignalOutbox outbox)
    {
        _spec = spec;
        _clock = clock;
        _outbox = outbox;
        _handler = OnPinChanged;
    }

    public GpioInputSpec Spec => _spec;

    /// <summary>Debounced logical level (active = true).</summary>
    public bool Level
    {
        get
        {
            lock (_lock)
            {
                return _filter?.Stable ?? false;
            }
        }
    }

    /// <summary>The wire level as last reported by the driver (before debounce and polarity).</summary>
    public bool RawWireLevel => Volatile.Read(ref _rawWire);

    /// <summary>Pulses counted since start.</summary>
    public long Pulses => Interlocked.Read(ref _pulses);

    /// <summary>Raw edges the driver reported since start (bounce included).</summary>
    public long RawEdges => Interlocked.Read(ref _rawEdges);

    /// <summary>Opens the pin, reads its level, and starts listening for edges.</summary>
    /// <returns>False when the requested bias is not supported and the pin was opened without one.</returns>
    public bool Start(GpioController controller)
    {
        ArgumentNullException.ThrowIfNull(controller);
        var binding = _spec.Binding;
        var mode = binding.Pull switch
        {
            GpioPull.Up => PinMode.InputPullUp,
            GpioPull.Down => PinMode.InputPullDown,
            _ => PinMode.Input,
        };
        var pullSupported = true;
        if (mode != PinMode.Input && !controller.IsPinModeSupported(binding.Pin, mode))
        {
            pullSupported = false;
            mode = PinMode.Input;
        }

        controller.OpenPin(binding.Pin, mode);
        var wire = controller.Read(binding.Pin) == PinValue.High;
        var now = _clock.GetUtcNow();
        lock (_lock)
        {
            _controller = controller;
            _rawWire = wire;
            var (holdActive, holdInactive) = HoldTimes(binding, _spec.IsPulse);
            _filter = new EdgeFilter(wire ^ binding.ActiveLow, holdActive, holdInactive);
            _timer = _clock.CreateTimer(static s => ((GpioInput)s!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            if (!_spec.IsPulse)
            {
                // The engine needs the level as it is now, not only future changes; its time is arrival, not an edge.
                _outbox.OfferValue(new Signal(_spec.Handle, _filter.Stable ? 1 : 0, now));
            }
        }

        controller.RegisterCallbackForPinValueChangedEvent(binding.Pin, PinEventTypes.Rising | PinEventTypes.Falling, _handler);
        return pullSupported;
    }

    /// <summary>Stops listening and closes the pin.</summary>
    public void Stop()
    {
        GpioController? controller;
        lock (_lock)
        {
            controller = _controller;
            _controller = null;
            _timer?.Dispose();
            _timer = null;
        }

        if (controller is null)
        {
            return;
        }

        try
        {
            controller.UnregisterCallbackForPinValueChangedEvent(_spec.Binding.Pin, _handler);
        }
        finally
        {
            if (controller.IsPinOpen(_spec.Binding.Pin))
            {
                controller.ClosePin(_spec.Binding.Pin);
            }
        }
    }

    public void Dispose() => Stop();

    /// <summary>
    /// Tells the engine the input is alive though nothing changed: a level repeats its debounced value, a pulse
    /// counter sends a zero increment. Without it a machine standing still would look Offline after its stale time.
    /// </summary>
    public void Heartbeat(DateTimeOffset now)
    {
        lock (_lock)
        {
            if (_filter is null)
            {
                return;
            }

            _outbox.OfferValue(new Signal(_spec.Handle, _spec.IsPulse ? 0 : _filter.Stable ? 1 : 0, now));
        }
    }

    internal static (TimeSpan Active, TimeSpan Inactive) HoldTimes(GpioBinding binding, bool isPulse)
    {
        if (isPulse)
        {
            var active = binding.MinWidth > binding.Debounce ? binding.MinWidth : binding.Debounce;
            return (active, binding.Debounce);
        }

        var hold = binding.Settle > binding.Debounce ? binding.Settle : binding.Debounce;
        return (hold, hold);
    }

    private void OnPinChanged(object sender, PinValueChangedEventArgs e)
    {
        // First thing: the edge time. Everything after may be delayed by the lock.
        var ticks = _clock.GetUtcNow().UtcTicks;
        var wire = e.ChangeType == PinEventTypes.Rising;
        Interlocked.Increment(ref _rawEdges);
        Span<LevelTransition> confirmed = stackalloc LevelTransition[2];
        lock (_lock)
        {
            if (_filter is null)
            {
                return;
            }

            Volatile.Write(ref _rawWire, wire);
            var n = _filter.OnEdge(wire ^ _spec.Binding.ActiveLow, ticks, confirmed);
            Emit(confirmed[..n]);
            if (_filter.HasCandidate)
            {
                _timer?.Change(TimeSpan.FromTicks(Math.Max(0, _filter.DueTicks - ticks)), Timeout.InfiniteTimeSpan);
            }
        }
    }

    private void OnTimer()
    {
        var ticks = _clock.GetUtcNow().UtcTicks;
        Span<LevelTransition> confirmed = stackalloc LevelTransition[1];
        lock (_lock)
        {
            if (_filter is null)
            {
                return;
            }

            var n = _filter.Settle(ticks, confirmed);
            Emit(confirmed[..n]);
            if (_filter.HasCandidate)
            {
                // A timer may fire a little before the clock reaches its due time: look again shortly.
                var wait = Math.Max(_filter.DueTicks - ticks, TimeSpan.TicksPerMillisecond / 10);
                _timer?.Change(TimeSpan.FromTicks(wait), Timeout.InfiniteTimeSpan);
            }
        }
    }

    private void Emit(ReadOnlySpan<LevelTransition> transitions)
    {
        foreach (var t in transitions)
        {
            var at = new DateTimeOffset(t.TimestampTicks, TimeSpan.Zero);
            if (!_spec.IsPulse)
            {
                _outbox.OfferValue(new Signal(_spec.Handle, t.Level ? 1 : 0, at, SignalQuality.Good, SourceTimestamped: true));
                continue;
            }

            var counts = _spec.Binding.Edge switch
            {
                GpioEdge.Rising => t.Level,
                GpioEdge.Falling => !t.Level,
                _ => true,
            };
            if (counts)
            {
                Interlocked.Increment(ref _pulses);
                _outbox.OfferPulse(new Signal(_spec.Handle, 1, at, SignalQuality.Good, SourceTimestamped: true));
            }
        }
    }
}
