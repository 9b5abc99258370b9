namespace EdgeOps.Core.Model;

/// <summary>A reason a machine is not running, with the state category it puts the machine in.</summary>
public sealed record ReasonCode
{
    public required string Code { get; init; }
    public required string Label { get; init; }
    public StateCategory Category { get; init; } = StateCategory.Down;

    /// <summary>The reason of a stop nobody has explained yet.</summary>
    public static ReasonCode Unknown { get; } = new() { Code = "unknown", Label = "Unknown", Category = StateCategory.Down };
}
