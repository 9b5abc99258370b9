using EdgeOps.Core.Model;

namespace EdgeOps.Core.Condition.Alarms;

/// <summary>
/// One alarm's state machine. Raise: the value stays at or beyond the raise threshold for the minimum duration.
/// Clear: it stays at or back past the clear threshold for the minimum duration. Between the two thresholds
/// nothing changes, so a value dithering around the raise threshold raises once, not on every crossing.
/// </summary>
public sealed class AlarmEvaluator
{
    private readonly bool _high;
    private DateTimeOffset? _pendingSince;

    public AlarmEvaluator(AlarmDefinition definition, string path = "alarm")
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (!double.IsFinite(definition.Raise) || !double.IsFinite(definition.Clear) || definition.Raise == definition.Clear)
        {
            throw new ArgumentException(
                $"{path} '{definition.Name}': raise ({definition.Raise}) and clear ({definition.Clear}) must be finite and differ (the gap is the hysteresis).",
                nameof(definition));
        }

        if (definition.MinDuration < TimeSpan.Zero)
        {
            throw new ArgumentException($"{path} '{definition.Name}': minDuration must not be negative.", nameof(definition));
        }

        Definition = definition;
        _high = definition.Raise > definition.Clear;
    }

    public AlarmDefinition Definition { get; }

    public bool IsActive { get; private set; }

    public DateTimeOffset? RaisedAt { get; private set; }

    /// <summary>The value that raised the alarm.</summary>
    public double RaisedValue { get; private set; }

    /// <summary>
    /// Feeds one value; returns the transition it completes, if any. NaN (no value, e.g. no anomaly score while
    /// the machine is stopped) changes nothing but restarts a pending minimum duration: it was not continuous.
    /// </summary>
    public AlarmTransition? Update(double value, DateTimeOffset at)
    {
        if (double.IsNaN(value))
        {
            _pendingSince = null;
            return null;
        }

        var toward = IsActive
            ? (_high ? value <= Definition.Clear : value >= Definition.Clear)
            : (_high ? value >= Definition.Raise : value <= Definition.Raise);
        if (!toward)
        {
            _pendingSince = null;
            return null;
        }

        _pendingSince ??= at;
        if (at - _pendingSince.Value < Definition.MinDuration)
        {
            return null;
        }

        _pendingSince = null;
        IsActive = !IsActive;
        if (IsActive)
        {
            RaisedAt = at;
            RaisedValue = value;
            return AlarmTransition.Raised;
        }

        return AlarmTransition.Cleared;
    }
}
