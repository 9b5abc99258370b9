using EdgeOps.Contract.Payloads;
using EdgeOps.Contract.Sparkplug;
using EdgeOps.Core.Condition;
using EdgeOps.Core.Condition.Alarms;
using EdgeOps.Core.Condition.Features;
using EdgeOps.Core.Condition.Maintenance;
using EdgeOps.Core.Model;
using EdgeOps.Publishing.Mqtt.Condition;
using T = EdgeOps.Contract.Sparkplug.SparkplugDataType;

namespace EdgeOps.Publishing.Sparkplug;

/// <summary>
/// The condition-monitoring, alarm and maintenance metrics of one machine, declared from its line-file section (so the
/// birth names every one, with its unit and, for vibration, the ISO 10816 zone limits of its class) and set from what
/// condition monitoring produces: the same figures as the JSON contract's <c>condition/{signal}</c>, <c>alarms</c> and
/// <c>maintenance</c> topics, rounded by the same <see cref="PayloadFormat"/>. Not thread-safe: the model's lock guards it.
/// </summary>
internal sealed class ConditionMetrics
{
    private const string ConditionFolder = "Condition/";
    private const string AlarmFolder = "Alarms/";
    private const string MaintenanceFolder = "Maintenance/";

    private readonly MetricSet _metrics;
    private readonly Dictionary<string, Signal> _signals = new(StringComparer.Ordinal);
    private readonly List<(string Signal, string Alarm, int Index)> _alarms = [];
    private readonly Dictionary<string, Item> _items = new(StringComparer.Ordinal);

    private ConditionMetrics(MachineDefinition machine, MetricSet metrics)
    {
        _metrics = metrics;
        foreach (var signal in machine.Signals)
        {
            if (signal.Condition is not { } condition)
            {
                continue;
            }

            var prefix = $"{ConditionFolder}{signal.Name}/";
            _signals[signal.Name] = new Signal(
                Index("Mean"), Index("RMS"), Index("Peak"), Index("Peak-to-peak"), Index("Std Dev"), Index("Crest Factor"), Index("Kurtosis"),
                Index("Velocity RMS"), Index("Zone"), Index("Anomaly Score"), Index("Trend"), Index("Hours to Threshold"),
                [.. condition.Bands.Select(b => (b.Name, Index($"Band/{b.Name}")))]);
            foreach (var alarm in condition.Alarms)
            {
                var index = metrics.IndexOf($"{AlarmFolder}{signal.Name}/{alarm.Name}");
                _alarms.Add((signal.Name, alarm.Name, index));
                metrics.Initialise(index, SparkplugValue.Boolean(false));
            }

            int Index(string name) => metrics.IndexOf(prefix + name);
        }

        foreach (var item in machine.Maintenance)
        {
            var prefix = $"{MaintenanceFolder}{item.Item}/";
            _items[item.Item] = new Item(metrics.IndexOf(prefix + "Level"), metrics.IndexOf(prefix + "Progress"), metrics.IndexOf(prefix + "Run Hours"),
                metrics.IndexOf(prefix + "Cycles"), metrics.IndexOf(prefix + "Starts"), metrics.IndexOf(prefix + "Last Reset"),
                metrics.IndexOf(prefix + "Last Reset By"));
        }
    }

    /// <summary>The metrics <paramref name="machine"/>'s condition signals, alarms and maintenance items declare, in a fixed order.</summary>
    public static IReadOnlyList<MetricDefinition> Definitions(MachineDefinition machine)
    {
        ArgumentNullException.ThrowIfNull(machine);
        var definitions = new List<MetricDefinition>();
        foreach (var signal in machine.Signals)
        {
            if (signal.Condition is not { } condition)
            {
                continue;
            }

            var prefix = $"{ConditionFolder}{signal.Name}/";
            var unit = signal.Unit;
            definitions.Add(new(prefix + "Mean", T.Double, unit));
            definitions.Add(new(prefix + "RMS", T.Double, unit));
            definitions.Add(new(prefix + "Peak", T.Double, unit));
            definitions.Add(new(prefix + "Peak-to-peak", T.Double, unit));
            definitions.Add(new(prefix + "Std Dev", T.Double, unit));
            definitions.Add(new(prefix + "Crest Factor", T.Double));
            definitions.Add(new(prefix + "Kurtosis", T.Double));
            if (condition.Input != ConditionInput.Generic)
            {
                // The ISO zone limits travel with the value they classify, so a host can draw the bands without a table.
                definitions.Add(new(prefix + "Velocity RMS", T.Double, "mm/s", ZoneLimits(condition)));
            }

            if (condition.IsoClass is not null)
            {
                definitions.Add(new(prefix + "Zone", T.String, null, ZoneLimits(condition)));
            }

            definitions.Add(new(prefix + "Anomaly Score", T.Double));
            if (condition.Trend is { } trend)
            {
                definitions.Add(new(prefix + "Trend", T.Double, unit is null ? "1/h" : $"{unit}/h",
                    [SparkplugProperty.Text("feature", trend.Feature)]));
                if (trend.Threshold is { } threshold)
                {
                    definitions.Add(new(prefix + "Hours to Threshold", T.Double, "h", [SparkplugProperty.Number("threshold", threshold)]));
                }
            }

            foreach (var band in condition.Bands)
            {
                definitions.Add(new(prefix + $"Band/{band.Name}", T.Double, null,
                    [SparkplugProperty.Number("lowHz", band.LowHz), SparkplugProperty.Number("highHz", band.HighHz)]));
            }

            foreach (var alarm in condition.Alarms)
            {
                definitions.Add(new($"{AlarmFolder}{signal.Name}/{alarm.Name}", T.Boolean, null,
                [
                    SparkplugProperty.Text("severity", ConditionPayloads.Severity(alarm.Severity)),
                    SparkplugProperty.Text("feature", alarm.Feature),
                    SparkplugProperty.Number("raise", alarm.Raise),
                    SparkplugProperty.Number("clear", alarm.Clear),
                ]));
            }
        }

        foreach (var item in machine.Maintenance)
        {
            var prefix = $"{MaintenanceFolder}{item.Item}/";
            List<SparkplugProperty> intervals = [SparkplugProperty.Number("grace", item.Grace)];
            if (item.EveryHours is { } hours)
            {
                intervals.Add(SparkplugProperty.Number("everyHours", hours));
            }

            if (item.EveryCycles is { } cycles)
            {
                intervals.Add(SparkplugProperty.Number("everyCycles", cycles));
            }

            if (item.EveryStarts is { } starts)
            {
                intervals.Add(SparkplugProperty.Number("everyStarts", starts));
            }

            definitions.Add(new(prefix + "Level", T.String));
            definitions.Add(new(prefix + "Progress", T.Double, "ratio", intervals));
            definitions.Add(new(prefix + "Run Hours", T.Double, "h"));
            definitions.Add(new(prefix + "Cycles", T.Int64, "units"));
            definitions.Add(new(prefix + "Starts", T.Int64));
            definitions.Add(new(prefix + "Last Reset", T.DateTime));
            definitions.Add(new(prefix + "Last Reset By", T.String));
        }

        return definitions;
    }

    /// <summary>Binds the definitions of <paramref name="machine"/> to their places in <paramref name="metrics"/>; alarms start cleared.</summary>
    public static ConditionMetrics Bind(MachineDefinition machine, MetricSet metrics) => new(machine, metrics);

    /// <summary>A window's features (what the JSON contract's <c>condition/{signal}</c> carries).</summary>
    public void Window(ConditionSnapshot snapshot, ulong timestamp)
    {
        if (!_signals.TryGetValue(snapshot.Signal, out var s))
        {
            return;
        }

        var f = snapshot.Features;
        Number(s.Mean, f.Mean, timestamp);
        Number(s.Rms, f.Rms, timestamp);
        Number(s.Peak, f.Peak, timestamp);
        Number(s.PeakToPeak, f.PeakToPeak, timestamp);
        Number(s.StdDev, f.StdDev, timestamp);
        Number(s.CrestFactor, f.CrestFactor, timestamp);
        Number(s.Kurtosis, f.Kurtosis, timestamp);
        Number(s.VelocityRms, f.VelocityRms, timestamp);
        if (s.Zone >= 0)
        {
            _metrics.Set(s.Zone, f.Zone is { } zone ? SparkplugValue.String(zone.ToString()) : default, f.Zone is null, timestamp);
        }

        Number(s.AnomalyScore, snapshot.AnomalyScore, timestamp);
        Number(s.Trend, snapshot.TrendSlopePerHour, timestamp);
        Number(s.HoursToThreshold, snapshot.HoursToThreshold, timestamp);
        foreach (var (name, index) in s.Bands)
        {
            double? energy = null;
            foreach (var band in f.Bands)
            {
                if (band.Name == name)
                {
                    energy = band.Energy;
                }
            }

            Number(index, energy, timestamp);
        }
    }

    /// <summary>Every configured alarm of the machine: raised or not, by the list of raised ones.</summary>
    public void Alarms(IEnumerable<ActiveAlarm> active, ulong timestamp)
    {
        var raised = active.Select(a => (a.Signal, a.Alarm)).ToHashSet();
        foreach (var (signal, alarm, index) in _alarms)
        {
            _metrics.Set(index, SparkplugValue.Boolean(raised.Contains((signal, alarm))), false, timestamp);
        }
    }

    /// <summary>Each item's usage since its last reset and its level (what the JSON contract's <c>maintenance</c> carries).</summary>
    public void Maintenance(MaintenanceCounters counters, ulong timestamp)
    {
        foreach (var status in counters.Status())
        {
            if (!_items.TryGetValue(status.Item, out var i))
            {
                continue;
            }

            _metrics.Set(i.Level, SparkplugValue.String(ConditionPayloads.Level(status.Level)), false, timestamp);
            Number(i.Progress, status.Progress, timestamp);
            Number(i.RunHours, status.RunHours, timestamp);
            _metrics.Set(i.Cycles, SparkplugValue.Integer(T.Int64, status.Cycles), false, timestamp);
            _metrics.Set(i.Starts, SparkplugValue.Integer(T.Int64, status.Starts), false, timestamp);
            _metrics.Set(i.LastReset, status.LastResetAt is { } at ? SparkplugValue.DateTime(at) : default, status.LastResetAt is null, timestamp);
            _metrics.Set(i.LastResetBy, status.LastResetBy is { } by ? SparkplugValue.String(by) : default, status.LastResetBy is null, timestamp);
        }
    }

    private static List<SparkplugProperty>? ZoneLimits(ConditionDefinition condition)
    {
        if (condition.IsoClass is not { } isoClass)
        {
            return null;
        }

        var limits = IsoZoneClassifier.Boundaries(isoClass);
        return
        [
            SparkplugProperty.Text("isoClass", isoClass.ToString()),
            SparkplugProperty.Number("zoneLimitAB", limits[0]),
            SparkplugProperty.Number("zoneLimitBC", limits[1]),
            SparkplugProperty.Number("zoneLimitCD", limits[2]),
        ];
    }

    private void Number(int index, double? value, ulong timestamp)
    {
        if (index < 0)
        {
            return;
        }

        var rounded = PayloadFormat.Round(value);
        _metrics.Set(index, rounded is { } v ? SparkplugValue.Double(v) : default, rounded is null, timestamp);
    }

    private sealed record Signal(int Mean, int Rms, int Peak, int PeakToPeak, int StdDev, int CrestFactor, int Kurtosis, int VelocityRms,
        int Zone, int AnomalyScore, int Trend, int HoursToThreshold, IReadOnlyList<(string Name, int Index)> Bands);

    private sealed record Item(int Level, int Progress, int RunHours, int Cycles, int Starts, int LastReset, int LastResetBy);
}
