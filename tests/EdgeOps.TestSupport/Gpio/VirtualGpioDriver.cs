using System.Device.Gpio;
using Microsoft.Extensions.Time.Testing;

namespace EdgeOps.TestSupport.Gpio;

/// <summary>
/// A GPIO chip in memory, under the real <see cref="GpioController"/>. Tests drive input levels at explicit
/// instants: the driver first moves the shared <see cref="FakeTimeProvider"/> to that instant (firing any due
/// timers, such as debounce deadlines), then calls back synchronously like libgpiod's event thread would. So code
/// that stamps edges with the same clock sees exactly the edge times the test chose, and a bounce train on a 1 ms
/// grid replays identically every run. Outputs are recorded with the time they were written.
/// </summary>
public sealed class VirtualGpioDriver : GpioDriver
{
    private readonly FakeTimeProvider _clock;
    private readonly bool _pullSupported;
    private readonly Lock _lock = new();
    private readonly PinState[] _pins;
    private readonly List<OutputWrite> _writes = [];

    /// <param name="clock">The clock edges are stamped with; the driver advances it.</param>
    /// <param name="pinCount">Lines on the chip (28 like a Raspberry Pi header's BCM 0–27).</param>
    /// <param name="pullSupported">False models a chip without bias control (most industrial PC DIO).</param>
    public VirtualGpioDriver(FakeTimeProvider clock, int pinCount = 28, bool pullSupported = true)
    {
        _clock = clock;
        _pullSupported = pullSupported;
        _pins = new PinState[pinCount];
        for (var i = 0; i < pinCount; i++)
        {
            _pins[i] = new PinState();
        }
    }

    /// <summary>Every output write, in order, with the clock's time.</summary>
    public IReadOnlyList<OutputWrite> Writes
    {
        get
        {
            lock (_lock)
            {
                return [.. _writes];
            }
        }
    }

    /// <summary>Edges raised to callbacks so far.</summary>
    public long EdgesRaised { get; private set; }

    protected override int PinCount => _pins.Length;

    /// <summary>The level the test drives onto an input; also what an unconnected pin reads with its bias.</summary>
    public void SetInitialLevel(int pin, PinValue level)
    {
        lock (_lock)
        {
            _pins[pin].External = level;
        }
    }

    /// <summary>Drives an input to <paramref name="level"/> at <paramref name="at"/>; raises an edge when the level changes.</summary>
    public void Drive(int pin, PinValue level, DateTimeOffset at)
    {
        if (at > _clock.GetUtcNow())
        {
            _clock.SetUtcNow(at);
        }

        PinChangeEventHandler[] handlers;
        PinEventTypes type;
        lock (_lock)
        {
            var state = _pins[pin];
            if (state.External == level)
            {
                return;
            }

            state.External = level;
            type = level == PinValue.High ? PinEventTypes.Rising : PinEventTypes.Falling;
            handlers = [.. state.Callbacks.Where(c => (c.Types & type) != 0).Select(c => c.Handler)];
            EdgesRaised++;
        }

        var args = new PinValueChangedEventArgs(type, pin);
        foreach (var handler in handlers)
        {
            handler(this, args);
        }
    }

    /// <summary>One clean pulse: <paramref name="active"/> at <paramref name="start"/>, back after <paramref name="width"/>.</summary>
    public void Pulse(int pin, DateTimeOffset start, TimeSpan width, PinValue active)
    {
        Drive(pin, active, start);
        Drive(pin, active == PinValue.High ? PinValue.Low : PinValue.High, start + width);
    }

    /// <summary>
    /// Contact bounce: from <paramref name="start"/> the level toggles every <paramref name="grid"/> for
    /// <paramref name="toggles"/> edges, the last of which lands on <paramref name="final"/>. Returns the time of that last edge.
    /// </summary>
    public DateTimeOffset Bounce(int pin, DateTimeOffset start, PinValue final, int toggles, TimeSpan grid)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(toggles, 1);
        var level = toggles % 2 == 1 ? final : Opposite(final);
        var t = start;
        for (var i = 0; i < toggles; i++)
        {
            t = start + (grid * i);
            Drive(pin, level, t);
            level = Opposite(level);
        }

        return t;
    }

    /// <summary>Moves the clock (and fires due timers) without an edge.</summary>
    public void AdvanceTo(DateTimeOffset at)
    {
        if (at > _clock.GetUtcNow())
        {
            _clock.SetUtcNow(at);
        }
    }

    /// <summary>The level an output pin was last written, or null if never written.</summary>
    public PinValue? OutputLevel(int pin)
    {
        lock (_lock)
        {
            return _pins[pin].Output;
        }
    }

    /// <summary>The mode the pin was last set to, null while closed.</summary>
    public PinMode? ModeOf(int pin)
    {
        lock (_lock)
        {
            return _pins[pin].Open ? _pins[pin].Mode : null;
        }
    }

    public bool IsOpen(int pin)
    {
        lock (_lock)
        {
            return _pins[pin].Open;
        }
    }

    protected override void OpenPin(int pinNumber)
    {
        lock (_lock)
        {
            Pin(pinNumber).Open = true;
        }
    }

    protected override void ClosePin(int pinNumber)
    {
        lock (_lock)
        {
            var state = Pin(pinNumber);
            state.Open = false;
            state.Callbacks.Clear();
        }
    }

    protected override void SetPinMode(int pinNumber, PinMode mode)
    {
        if (!IsPinModeSupported(pinNumber, mode))
        {
            throw new InvalidOperationException($"Line {pinNumber} does not support mode {mode}.");
        }

        lock (_lock)
        {
            Pin(pinNumber).Mode = mode;
        }
    }

    protected override PinMode GetPinMode(int pinNumber)
    {
        lock (_lock)
        {
            return Pin(pinNumber).Mode;
        }
    }

    protected override bool IsPinModeSupported(int pinNumber, PinMode mode) =>
        mode is PinMode.Input or PinMode.Output || (_pullSupported && mode is PinMode.InputPullUp or PinMode.InputPullDown);

    protected override PinValue Read(int pinNumber)
    {
        lock (_lock)
        {
            var state = Pin(pinNumber);
            return state.Mode == PinMode.Output ? state.Output ?? PinValue.Low : state.External;
        }
    }

    protected override void Write(int pinNumber, PinValue value)
    {
        lock (_lock)
        {
            var state = Pin(pinNumber);
            if (state.Mode != PinMode.Output)
            {
                throw new InvalidOperationException($"Line {pinNumber} is not an output.");
            }

            state.Output = value;
            _writes.Add(new OutputWrite(_clock.GetUtcNow(), pinNumber, value));
        }
    }

    protected override WaitForEventResult WaitForEvent(int pinNumber, PinEventTypes eventTypes, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The virtual driver raises callbacks; blocking waits are not modelled.");

    protected override void AddCallbackForPinValueChangedEvent(int pinNumber, PinEventTypes eventTypes, PinChangeEventHandler callback)
    {
        lock (_lock)
        {
            Pin(pinNumber).Callbacks.Add((eventTypes, callback));
        }
    }

    protected override void RemoveCallbackForPinValueChangedEvent(int pinNumber, PinChangeEventHandler callback)
    {
        lock (_lock)
        {
            Pin(pinNumber).Callbacks.RemoveAll(c => c.Handler == callback);
        }
    }

    private static PinValue Opposite(PinValue v) => v == PinValue.High ? PinValue.Low : PinValue.High;

    private PinState Pin(int pinNumber)
    {
        if (pinNumber < 0 || pinNumber >= _pins.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(pinNumber), pinNumber, $"The virtual chip has lines 0–{_pins.Length - 1}.");
        }

        return _pins[pinNumber];
    }

    private sealed class PinState
    {
        public bool Open { get; set; }
        public PinMode Mode { get; set; } = PinMode.Input;
        public PinValue External { get; set; } = PinValue.Low;
        public PinValue? Output { get; set; }
        public List<(PinEventTypes Types, PinChangeEventHandler Handler)> Callbacks { get; } = [];
    }
}

/// <summary>One write to an output line.</summary>
public readonly record struct OutputWrite(DateTimeOffset At, int Pin, PinValue Value);
