namespace EdgeOps.Core.Model;

/// <summary>Which debounced edge of a pulse input counts a part. Edges are logical: after <see cref="GpioBinding.ActiveLow"/>.</summary>
public enum GpioEdge
{
    /// <summary>Count when the input becomes active.</summary>
    Rising,
    /// <summary>Count when the input stops being active.</summary>
    Falling,
    /// <summary>Count both transitions (a toggling sensor).</summary>
    Both,
}

/// <summary>The pin's internal bias resistor, where the board has one.</summary>
public enum GpioPull
{
    None,
    Up,
    Down,
}

/// <summary>
/// A signal read from one GPIO input pin: a pulse counter for count roles, a level for state roles.
/// Config: <c>source: { gpio: { pin: 17, edge: rising, debounce: 5ms, minWidth: 2ms, pull: up, activeLow: true, settle: 50ms } }</c>.
/// </summary>
public sealed record GpioBinding : SourceBinding
{
    public override string Kind => "gpio";

    /// <summary>Line offset on the board's GPIO chip (the BCM number on a Raspberry Pi).</summary>
    public required int Pin { get; init; }

    /// <summary>Pulse inputs: which logical edge counts.</summary>
    public GpioEdge Edge { get; init; } = GpioEdge.Rising;

    /// <summary>A raw level is believed only after it has held this long (contact bounce). Zero for electronic sensors.</summary>
    public TimeSpan Debounce { get; init; } = TimeSpan.FromMilliseconds(5);

    /// <summary>Pulse inputs: an active phase shorter than this is noise, not a part.</summary>
    public TimeSpan MinWidth { get; init; } = TimeSpan.Zero;

    public GpioPull Pull { get; init; } = GpioPull.None;

    /// <summary>True when a low wire level means "active" (NPN sensors, contacts to ground with a pull-up).</summary>
    public bool ActiveLow { get; init; }

    /// <summary>Level inputs: a new level is reported only after it has held this long (a machine's status relay chatters).</summary>
    public TimeSpan Settle { get; init; } = TimeSpan.Zero;
}
