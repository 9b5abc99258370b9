using System.Diagnostics.CodeAnalysis;
using EdgeOps.Core.Condition.Alarms;
using EdgeOps.Core.Condition.Baseline;
using EdgeOps.Core.Condition.Features;
using EdgeOps.Core.Model;
using EdgeOps.Core.Signals;

namespace EdgeOps.Core.Condition;

/// <summary>
/// Condition monitoring of one analog signal of one machine: window features, EWMA baselines with an anomaly
/// score (learned only from windows in which the machine was Running throughout), an optional trend, alarms,
/// and a rate limiter for publishing. The host feeds it every sample of the signal with the machine's Running
/// state; it reads no clock (time comes from the samples).
/// </summary>
public sealed class ConditionMonitor
{
    private static readonly string[] BaseFeatures = ["mean", "rms", "peak", "peakToPeak", "crestFactor", "stdDev", "kurtosis"];

    private readonly ConditionDefinition _definition;
    private readonly WindowFeatureExtractor _extractor;
    private readonly string[] _baselineNames;
    private readonly FeatureSelector[] _baselineFeatures;
    private readonly EwmaBaseline[] _baselines;
    private readonly TrendEstimator? _trend;
    private readonly FeatureSelector _trendFeature;
    private readonly AlarmEvaluator[] _alarms;
    private readonly FeatureSelector[] _alarmFeatures;
    private readonly bool _hasValueAlarms;
    private readonly List<AlarmEvent> _events = [];
    private IReadOnlyList<ActiveAlarm> _active = [];
    private DateTimeOffset? _lastPublished;
    private bool _unpublished;

    public ConditionMonitor(string machine, string signal, ConditionDefinition definition)
    {
        ArgumentException.ThrowIfNullOrEmpty(machine);
        ArgumentException.ThrowIfNullOrEmpty(signal);
        ArgumentNullException.ThrowIfNull(definition);
        Machine = machine;
        Signal = signal;
        _definition = definition;
        _extractor = new WindowFeatureExtractor(definition);

        var names = new List<string>(BaseFeatures);
        if (definition.Input != ConditionInput.Generic)
        {
            names.Add("velocityRms");
        }

        names.AddRange(definition.Bands.Select(b => "band:" + b.Name));
        _baselineNames = [.. names];
        _baselineFeatures = [.. names.Select(n => FeatureSelector.Parse(n, definition, "condition"))];
        var alpha = EwmaBaseline.AlphaForHalfLife(definition.Window, definition.BaselineHalfLife);
        _baselines = [.. names.Select(_ => new EwmaBaseline(alpha, definition.BaselineWarmupWindows))];

        if (definition.Trend is { } trend)
        {
            _trendFeature = FeatureSelector.Parse(trend.Feature, definition, "condition.trend.feature");
            if (_trendFeature.Kind is FeatureKind.Value or FeatureKind.Anomaly or FeatureKind.TrendSlope or FeatureKind.HoursToThreshold)
            {
                throw new ArgumentException($"condition.trend.feature: '{trend.Feature}' is not a window feature.", nameof(definition));
            }

            var capacity = (int)Math.Ceiling(trend.Window.TotalSeconds / definition.Window.TotalSeconds) + 1;
            _trend = new TrendEstimator(trend.Window, capacity);
        }

        var alarmNames = new HashSet<string>(StringComparer.Ordinal);
        _alarms = new AlarmEvaluator[definition.Alarms.Count];
        _alarmFeatures = new FeatureSelector[definition.Alarms.Count];
        for (var i = 0; i < _alarms.Length; i++)
        {
            var alarm = definition.Alarms[i];
            var path = $"condition.alarms[{i}]";
            if (!alarmNames.Add(alarm.Name))
            {
                throw new ArgumentException($"{path}.name '{alarm.Name}' is used twice.", nameof(definition));
            }

            _alarms[i] = new AlarmEvaluator(alarm, path);
            _alarmFeatures[i] = FeatureSelector.Parse(alarm.Feature, definition, path + ".feature");
            _hasValueAlarms |= _alarmFeatures[i].Kind == FeatureKind.Value;
        }
    }

    /// <summary>A monitor for a configured signal; throws when the signal has no <c>condition</c> section.</summary>
    public static ConditionMonitor For(SignalInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        var definition = info.Definition.Condition
            ?? throw new ArgumentException($"Signal '{info.Key}' has no condition section.", nameof(info));
        return new ConditionMonitor(info.Machine.Id, info.Definition.Name, definition);
    }

    public string Machine { get; }

    public string Signal { get; }

    /// <summary>The newest completed window, or null before the first.</summary>
    public ConditionSnapshot? Latest { get; private set; }

    /// <summary>Alarms currently raised, for the retained current-alarm state; a new list whenever it changes.</summary>
    public IReadOnlyList<ActiveAlarm> ActiveAlarms => _active;

    /// <summary>Windows completed since start.</summary>
    public long WindowsCompleted { get; private set; }

    /// <summary>Samples thrown away with partial windows broken by bad-quality values.</summary>
    public long SamplesDiscarded { get; private set; }

    /// <summary>True when alarm events are waiting in <see cref="TakeEvents"/>.</summary>
    public bool HasEvents => _events.Count > 0;

    /// <summary>
    /// Takes one sample of the signal. Returns true when it completed a window (then <see cref="Latest"/> is new).
    /// A bad-quality sample breaks the window: its partial window is discarded and the filters restart.
    /// </summary>
    public bool Observe(in Signal sample, bool machineRunning)
    {
        if (sample.Quality == SignalQuality.Bad || !double.IsFinite(sample.Value))
        {
            SamplesDiscarded += _extractor.Pending;
            _extractor.Restart();
            return false;
        }

        if (_hasValueAlarms)
        {
            for (var i = 0; i < _alarms.Length; i++)
            {
                if (_alarmFeatures[i].Kind == FeatureKind.Value)
                {
                    Evaluate(i, sample.Value, sample.Timestamp);
                }
            }
        }

        var features = _extractor.Add(sample.Value, sample.Timestamp, machineRunning);
        if (features is null)
        {
            return false;
        }

        Complete(features);
        return true;
    }

    /// <summary>
    /// The newest snapshot if there is one not yet published and the publish interval has passed since the last
    /// publication (measured on <paramref name="now"/>, e.g. the sample time or the host's TimeProvider).
    /// </summary>
    public bool TryTakePublication(DateTimeOffset now, [NotNullWhen(true)] out ConditionSnapshot? snapshot)
    {
        snapshot = null;
        if (!_unpublished || Latest is null)
        {
            return false;
        }

        if (_lastPublished is { } last && _definition.PublishInterval is { } interval && now - last < interval)
        {
            return false;
        }

        _lastPublished = now;
        _unpublished = false;
        snapshot = Latest;
        return true;
    }

    /// <summary>Alarm events since the last call, oldest first (empty without allocation when there are none).</summary>
    public IReadOnlyList<AlarmEvent> TakeEvents()
    {
        if (_events.Count == 0)
        {
            return [];
        }

        AlarmEvent[] taken = [.. _events];
        _events.Clear();
        return taken;
    }

    /// <summary>The learned baselines, for the checkpoint store.</summary>
    public ConditionState Checkpoint() => new()
    {
        Machine = Machine,
        Signal = Signal,
        Baselines = [.. _baselineNames.Select((name, i) =>
        {
            var (mean, variance, count) = _baselines[i].Save();
            return new BaselineState { Feature = name, Mean = mean, Variance = variance, Count = count };
        })],
    };

    /// <summary>Restores baselines from a checkpoint; features no longer configured are ignored, new ones start cold.</summary>
    public void Restore(ConditionState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Machine != Machine || state.Signal != Signal)
        {
            throw new ArgumentException($"Checkpoint is for '{state.Machine}/{state.Signal}', not '{Machine}/{Signal}'.", nameof(state));
        }

        foreach (var saved in state.Baselines)
        {
            var index = Array.IndexOf(_baselineNames, saved.Feature);
            if (index >= 0)
            {
                _baselines[index].Restore(saved.Mean, saved.Variance, saved.Count);
            }
        }
    }

    private void Complete(ConditionFeatures features)
    {
        WindowsCompleted++;
        double? anomaly = null;
        string? anomalyFeature = null;
        if (features.Running)
        {
            // Score against what was learned before this window, then learn it.
            var worst = -1.0;
            for (var i = 0; i < _baselines.Length; i++)
            {
                var value = _baselineFeatures[i].Read(features);
                var z = Math.Abs(_baselines[i].Score(value));
                if (z > worst)
                {
                    worst = z;
                    anomalyFeature = _baselineNames[i];
                }

                _baselines[i].Learn(value);
            }

            if (worst >= 0)
            {
                anomaly = worst;
            }
            else
            {
                anomalyFeature = null;
            }

            _trend?.Add(features.WindowEnd, _trendFeature.Read(features));
        }

        Latest = new ConditionSnapshot
        {
            Machine = Machine,
            Signal = Signal,
            Features = features,
            AnomalyScore = anomaly,
            AnomalyFeature = anomalyFeature,
            BaselineWindows = _baselines.Length > 0 ? _baselines[0].Count : 0,
            TrendSlopePerHour = _trend?.SlopePerHour,
            HoursToThreshold = _definition.Trend?.Threshold is { } threshold ? _trend?.HoursTo(threshold) : null,
        };
        _unpublished = true;

        for (var i = 0; i < _alarms.Length; i++)
        {
            if (_alarmFeatures[i].Kind != FeatureKind.Value)
            {
                Evaluate(i, _alarmFeatures[i].Read(Latest), features.WindowEnd);
            }
        }
    }

    private void Evaluate(int index, double value, DateTimeOffset at)
    {
        var alarm = _alarms[index];
        if (alarm.Update(value, at) is not { } transition)
        {
            return;
        }

        var definition = alarm.Definition;
        _events.Add(new AlarmEvent
        {
            Machine = Machine,
            Signal = Signal,
            Alarm = definition.Name,
            Severity = definition.Severity,
            Transition = transition,
            Feature = definition.Feature,
            Value = value,
            Threshold = transition == AlarmTransition.Raised ? definition.Raise : definition.Clear,
            At = at,
            RaisedAt = alarm.RaisedAt ?? at,
        });
        _active = [.. _alarms.Where(a => a.IsActive).Select(a => new ActiveAlarm
        {
            Machine = Machine,
            Signal = Signal,
            Alarm = a.Definition.Name,
            Severity = a.Definition.Severity,
            Feature = a.Definition.Feature,
            Value = a.RaisedValue,
            Threshold = a.Definition.Raise,
            Since = a.RaisedAt!.Value,
        })];
    }
}
