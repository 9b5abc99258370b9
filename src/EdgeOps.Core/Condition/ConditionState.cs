namespace EdgeOps.Core.Condition;

/// <summary>
/// Checkpoint of a <see cref="ConditionMonitor"/>'s learned baselines (plain values for System.Text.Json), so a
/// gateway restart does not throw away hours of learning.
/// </summary>
public sealed record ConditionState
{
    public required string Machine { get; init; }
    public required string Signal { get; init; }
    public IReadOnlyList<BaselineState> Baselines { get; init; } = [];
}

/// <summary>One feature's baseline.</summary>
public sealed record BaselineState
{
    public required string Feature { get; init; }
    public required double Mean { get; init; }
    public required double Variance { get; init; }
    public required long Count { get; init; }
}
