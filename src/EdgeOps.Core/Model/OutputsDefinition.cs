namespace EdgeOps.Core.Model;

/// <summary>Line-level outputs to hardware: <c>sources: outputs: { stackLights: [...] }</c>.</summary>
public sealed record OutputsDefinition
{
    /// <summary>Stack lights and andon lamps; an andon lamp is a stack light with one lamp.</summary>
    public IReadOnlyList<StackLightDefinition> StackLights { get; init; } = [];
}

/// <summary>How a lamp shows a state.</summary>
public enum LampMode
{
    Off,
    On,
    Flash,
}

/// <summary>
/// A stack light (or andon lamp) on GPIO outputs or Modbus coils, driven by one machine's state category through a mapping.
/// </summary>
public sealed record StackLightDefinition
{
    /// <summary>Name for logs and the CLI (e.g. "filler-tower").</summary>
    public required string Id { get; init; }

    /// <summary>The machine whose state the light shows.</summary>
    public required string Machine { get; init; }

    /// <summary>Lamp name → output pin (green, amber, red, buzzer, andon, ...), or coil address when <see cref="Device"/> is set.</summary>
    public required IReadOnlyDictionary<string, int> Lamps { get; init; }

    /// <summary>
    /// A device under <c>sources.modbus.devices</c> whose coils drive the lamps (a PLC or a Modbus I/O module);
    /// null drives GPIO outputs of the line's board.
    /// </summary>
    public string? Device { get; init; }

    /// <summary>True when the relay board switches on a low level (most opto-isolated relay boards).</summary>
    public bool ActiveLow { get; init; }

    /// <summary>State → lamp name → mode. Lamps not named in a state's entry are off. Null takes <see cref="DefaultMapping"/>.</summary>
    public IReadOnlyDictionary<StateCategory, IReadOnlyDictionary<string, LampMode>>? Mapping { get; init; }

    /// <summary>The buzzer lamp sounds only this long after its state began (nobody wants a buzzer for a 2 h repair).</summary>
    public TimeSpan BuzzerFor { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Name of the lamp that <see cref="BuzzerFor"/> limits.</summary>
    public string BuzzerLamp { get; init; } = "buzzer";

    /// <summary>Half period of a flashing lamp.</summary>
    public TimeSpan FlashHalfPeriod { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Each lamp in turn lights for this long at start-up, so a dead bulb is seen at shift start.</summary>
    public TimeSpan LampTestStep { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Running → green, Idle → amber, Changeover → amber flashing, Down → red and buzzer, PlannedStop → off, Offline → red flashing.</summary>
    public static IReadOnlyDictionary<StateCategory, IReadOnlyDictionary<string, LampMode>> DefaultMapping { get; } =
        new Dictionary<StateCategory, IReadOnlyDictionary<string, LampMode>>
        {
            [StateCategory.Running] = new Dictionary<string, LampMode> { ["green"] = LampMode.On, ["andon"] = LampMode.Off },
            [StateCategory.Idle] = new Dictionary<string, LampMode> { ["amber"] = LampMode.On },
            [StateCategory.Changeover] = new Dictionary<string, LampMode> { ["amber"] = LampMode.Flash },
            [StateCategory.Down] = new Dictionary<string, LampMode> { ["red"] = LampMode.On, ["buzzer"] = LampMode.On, ["andon"] = LampMode.On },
            [StateCategory.PlannedStop] = new Dictionary<string, LampMode>(),
            [StateCategory.Offline] = new Dictionary<string, LampMode> { ["red"] = LampMode.Flash, ["andon"] = LampMode.Flash },
        };
}
