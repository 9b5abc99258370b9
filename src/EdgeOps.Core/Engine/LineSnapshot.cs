namespace EdgeOps.Core.Engine;

/// <summary>The whole line at one instant: every machine plus the line's output.</summary>
public sealed record LineSnapshot
{
    public required string Site { get; init; }
    public required string Area { get; init; }
    public required string Line { get; init; }
    public required DateTimeOffset Timestamp { get; init; }
    /// <summary>The shift in progress; null between shifts.</summary>
    public ShiftInfo? Shift { get; init; }
    public required IReadOnlyList<MachineSnapshot> Machines { get; init; }
    /// <summary>The machine whose good count is the line's output.</summary>
    public required string OutputMachineId { get; init; }
    /// <summary>The output machine's good count in the current period.</summary>
    public required long LineOutput { get; init; }
    /// <summary>The output machine's lifetime good count.</summary>
    public required long LineOutputLifetime { get; init; }
    /// <summary>The line order running or paused (figures of the output machine); null when none.</summary>
    public Orders.OrderRecord? Order { get; init; }
}
