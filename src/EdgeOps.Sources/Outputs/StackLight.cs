using System.Device.Gpio;
using EdgeOps.Core.Model;

namespace EdgeOps.Sources.Outputs;

/// <summary>
/// A stack light (or andon lamp) on GPIO outputs showing one machine's state through a configurable mapping
/// (<see cref="StackLightDefinition.Mapping"/>): steady, flashing or off per lamp, the buzzer cut off after
/// <see cref="StackLightDefinition.BuzzerFor"/>. Until the first state arrives it shows Offline: no data is not "fine".
/// Flash phase and buzzer cut-off are computed from the state's start, so the same state history lights the same
/// lamps at the same instants. Thread-safe: states come from the engine loop, ticks from a timer.
/// </summary>
public sealed class StackLight : IDisposable
{
    private readonly StackLightDefinition _definition;
    private readonly GpioController _controller;
    private readonly IReadOnlyDictionary<StateCategory, IReadOnlyDictionary<string, LampMode>> _mapping;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, bool> _lit = new(StringComparer.Ordinal);
    private StateCategory _state = StateCategory.Offline;
    private DateTimeOffset _since;
    private bool _open;

    public StackLight(StackLightDefinition definition, GpioController controller)
    {
        ArgumentNullException.ThrowIfNull(definition);
        _definition = definition;
        _controller = controller;
        _mapping = definition.Mapping ?? StackLightDefinition.DefaultMapping;
    }

    public StackLightDefinition Definition => _definition;

    /// <summary>The state shown now.</summary>
    public StateCategory State
    {
        get
        {
            lock (_lock)
            {
                return _state;
            }
        }
    }

    /// <summary>Lamp name → lit, as last written.</summary>
    public IReadOnlyDictionary<string, bool> Lamps
    {
        get
        {
            lock (_lock)
            {
                return new Dictionary<string, bool>(_lit, StringComparer.Ordinal);
            }
        }
    }

    /// <summary>Opens every lamp's pin as an output, off.</summary>
    public void Open(DateTimeOffset now)
    {
        lock (_lock)
        {
            foreach (var (lamp, pin) in _definition.Lamps)
            {
                _controller.OpenPin(pin, PinMode.Output, Level(false));
                _controller.Write(pin, Level(false));
                _lit[lamp] = false;
            }

            _open = true;
            _since = now;
        }
    }

    /// <summary>Lights each lamp alone for <see cref="StackLightDefinition.LampTestStep"/>, in config order, then all off.</summary>
    public async Task LampTestAsync(TimeProvider clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clock);
        foreach (var lamp in _definition.Lamps.Keys)
        {
            lock (_lock)
            {
                foreach (var other in _definition.Lamps.Keys)
                {
                    Set(other, other == lamp);
                }
            }

            await Task.Delay(_definition.LampTestStep, clock, cancellationToken).ConfigureAwait(false);
        }

        lock (_lock)
        {
            foreach (var lamp in _definition.Lamps.Keys)
            {
                Set(lamp, false);
            }
        }
    }

    /// <summary>Shows <paramref name="state"/>, which began at <paramref name="since"/>. Takes effect at once.</summary>
    public void Show(StateCategory state, DateTimeOffset since, DateTimeOffset now)
    {
        lock (_lock)
        {
            _state = state;
            _since = since;
            Apply(now);
        }
    }

    /// <summary>Advances flashing lamps and the buzzer cut-off to <paramref name="now"/>.</summary>
    public void Tick(DateTimeOffset now)
    {
        lock (_lock)
        {
            Apply(now);
        }
    }

    /// <summary>Every lamp off and every pin released: the light must not keep showing a state nobody updates.</summary>
    public void SafeOff()
    {
        lock (_lock)
        {
            if (!_open)
            {
                return;
            }

            _open = false;
            foreach (var (lamp, pin) in _definition.Lamps)
            {
                try
                {
                    _controller.Write(pin, Level(false));
                    _lit[lamp] = false;
                }
                finally
                {
                    _controller.ClosePin(pin);
                }
            }
        }
    }

    public void Dispose() => SafeOff();

    private void Apply(DateTimeOffset now)
    {
        if (!_open)
        {
            return;
        }

        var modes = _mapping.GetValueOrDefault(_state) ?? new Dictionary<string, LampMode>();
        var elapsed = now - _since;
        var flashOn = elapsed < TimeSpan.Zero || (elapsed.Ticks / _definition.FlashHalfPeriod.Ticks) % 2 == 0;
        foreach (var lamp in _definition.Lamps.Keys)
        {
            var lit = modes.GetValueOrDefault(lamp) switch
            {
                LampMode.On => true,
                LampMode.Flash => flashOn,
                _ => false,
            };
            if (lit && lamp == _definition.BuzzerLamp && elapsed >= _definition.BuzzerFor)
            {
                lit = false;
            }

            Set(lamp, lit);
        }
    }

    private void Set(string lamp, bool lit)
    {
        if (_lit.TryGetValue(lamp, out var current) && current == lit)
        {
            return;
        }

        _controller.Write(_definition.Lamps[lamp], Level(lit));
        _lit[lamp] = lit;
    }

    private PinValue Level(bool lit) => lit ^ _definition.ActiveLow ? PinValue.High : PinValue.Low;
}
