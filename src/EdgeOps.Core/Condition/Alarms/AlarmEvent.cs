using EdgeOps.Core.Model;

namespace EdgeOps.Core.Condition.Alarms;

/// <summary>An alarm raised or cleared: published on the machine's <c>events</c> topic.</summary>
public sealed record AlarmEvent
{
    public required string Machine { get; init; }
    public required string Signal { get; init; }
    public required string Alarm { get; init; }
    public required AlarmSeverity Severity { get; init; }
    public required AlarmTransition Transition { get; init; }
    /// <summary>The feature key watched (as configured).</summary>
    public required string Feature { get; init; }
    /// <summary>The value that completed the transition.</summary>
    public required double Value { get; init; }
    /// <summary>The raise threshold for a raise, the clear threshold for a clear.</summary>
    public required double Threshold { get; init; }
    public required DateTimeOffset At { get; init; }
    /// <summary>When the alarm was raised (equal to <see cref="At"/> for a raise).</summary>
    public required DateTimeOffset RaisedAt { get; init; }
}
