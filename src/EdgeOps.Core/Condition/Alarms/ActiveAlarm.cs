using EdgeOps.Core.Model;

namespace EdgeOps.Core.Condition.Alarms;

/// <summary>An alarm that is currently raised: the retained current-alarm state lists these.</summary>
public sealed record ActiveAlarm
{
    public required string Machine { get; init; }
    public required string Signal { get; init; }
    public required string Alarm { get; init; }
    public required AlarmSeverity Severity { get; init; }
    public required string Feature { get; init; }
    /// <summary>The value that raised it.</summary>
    public required double Value { get; init; }
    public required double Threshold { get; init; }
    public required DateTimeOffset Since { get; init; }
}
