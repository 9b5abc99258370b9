namespace EdgeOps.Core.Model;

/// <summary>Where a signal's value comes from. Each source kind has its own binding record.</summary>
public abstract record SourceBinding
{
    /// <summary>The source kind's key in the config file (simulator, gpio, opcua, sensor).</summary>
    public abstract string Kind { get; }
}

/// <summary>The signal is produced by the built-in line simulator.</summary>
public sealed record SimulatorBinding : SourceBinding
{
    public override string Kind => "simulator";
}
