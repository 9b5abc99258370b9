namespace EdgeOps.Core.Model;

/// <summary>Line-level settings per source kind. A kind that is not configured is not started.</summary>
public sealed record SourcesDefinition
{
    public SimulatorDefinition? Simulator { get; init; }

    /// <summary>OPC UA servers the line's signals are read from.</summary>
    public OpcUaSourceDefinition? OpcUa { get; init; }

    /// <summary>Modbus TCP devices the line's signals are polled from.</summary>
    public ModbusSourceDefinition? Modbus { get; init; }

    /// <summary>GPIO inputs: the board and driver. Required when any signal has a <see cref="GpioBinding"/>.</summary>
    public GpioDefinition? Gpio { get; init; }

    /// <summary>Sensor devices that <see cref="SensorBinding"/>s refer to.</summary>
    public IReadOnlyList<SensorDefinition> Sensors { get; init; } = [];

    /// <summary>Stack lights and andon lamps on GPIO outputs (they use the <see cref="Gpio"/> board).</summary>
    public OutputsDefinition? Outputs { get; init; }
}

/// <summary>The deterministic line simulator (design section 1, issue 2).</summary>
public sealed record SimulatorDefinition
{
    /// <summary>Same seed, same line: every run produces the same signals.</summary>
    public int Seed { get; init; } = 1;
    /// <summary>Simulated seconds per real second; 3600 runs an 8 h shift in 8 s.</summary>
    public double Speed { get; init; } = 1.0;
    /// <summary>Share of parts rejected (0..1), per machine unless overridden.</summary>
    public double RejectRate { get; init; } = 0.02;
    /// <summary>Relative cycle-time jitter (0.1 = ±10 %).</summary>
    public double CycleJitter { get; init; } = 0.1;
    /// <summary>Mean time between faults per machine.</summary>
    public TimeSpan MeanTimeBetweenFaults { get; init; } = TimeSpan.FromMinutes(45);
    /// <summary>Mean repair time per fault.</summary>
    public TimeSpan MeanRepairTime { get; init; } = TimeSpan.FromMinutes(4);
    /// <summary>The machine whose vibration and temperature slowly degrade (condition monitoring demo).</summary>
    public string? DegradingMachine { get; init; }
    /// <summary>Parts a buffer between two neighbouring machines holds; small buffers make starved/blocked visible.</summary>
    public int BufferSize { get; init; } = 5;
    /// <summary>Where the simulated clock starts (UTC); null lets the host choose (usually "now").</summary>
    public DateTimeOffset? Start { get; init; }
}
