using System.Collections.Concurrent;
using EdgeOps.Core.Condition;
using EdgeOps.Core.Condition.Alarms;
using EdgeOps.Core.Condition.Features;
using EdgeOps.Core.Model;
using EdgeOps.Publishing.Mqtt.Condition;
using EdgeOps.Contract.Payloads;

namespace EdgeOps.Gateway.Condition;

/// <summary>One point of a signal's condition history: the window's end, its headline value and anomaly score.</summary>
/// <param name="Time">End of the window.</param>
/// <param name="Value">velocityRms (mm/s) for vibration signals, else the window mean.</param>
/// <param name="Anomaly">Anomaly score, null while warming up or not running.</param>
public sealed record ConditionPoint(DateTimeOffset Time, double Value, double? Anomaly);

/// <summary>A monitored signal as the web API shows it.</summary>
public sealed record SignalConditionView(
    string Machine,
    string Signal,
    string? Unit,
    string Feature,
    string? IsoClass,
    IReadOnlyList<double>? ZoneLimits,
    ConditionPayload? Latest,
    IReadOnlyList<ConditionPoint> History);

/// <summary>Everything condition monitoring knows about one machine (<c>GET /api/condition/{machine}</c>).</summary>
public sealed record MachineConditionView(
    string Machine,
    IReadOnlyList<SignalConditionView> Signals,
    IReadOnlyList<ActiveAlarmEntry> Alarms,
    MaintenancePayload? Maintenance);

/// <summary>
/// The latest condition results for the web API, written on the engine thread and read by request threads.
/// Bounded: <see cref="HistoryCapacity"/> points per monitored signal.
/// </summary>
public sealed class ConditionView
{
    public const int HistoryCapacity = 360;

    private readonly ConcurrentDictionary<string, SignalState> _signals = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IReadOnlyList<ActiveAlarmEntry>> _alarms = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, MaintenancePayload> _maintenance = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];
    private readonly TimeProvider _time;

    /// <param name="time">The clock that stamps the alarm list (as the MQTT bridge stamps its message).</param>
    public ConditionView(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
    }

    internal void Configure(IEnumerable<(string Machine, string Signal, ConditionDefinition Definition, string? Unit)> signals)
    {
        foreach (var (machine, signal, definition, unit) in signals)
        {
            var key = machine + "/" + signal;
            _order.Add(key);
            _signals[key] = new SignalState(machine, signal, unit, definition);
        }
    }

    internal void Window(ConditionSnapshot snapshot, ConditionDefinition definition)
    {
        if (!_signals.TryGetValue(snapshot.Machine + "/" + snapshot.Signal, out var state))
        {
            return;
        }

        var payload = ConditionPayloads.Condition(snapshot, definition, state.Unit, snapshot.Features.WindowEnd);
        var value = snapshot.Features.VelocityRms ?? snapshot.Features.Mean;
        state.Add(payload, new ConditionPoint(snapshot.Features.WindowEnd, double.IsFinite(value) ? value : 0,
            snapshot.AnomalyScore is { } a && double.IsFinite(a) ? a : null));
    }

    internal void Alarms(string machine, IEnumerable<ActiveAlarm> active) =>
        _alarms[machine] = ConditionPayloads.Alarms(machine, active, _time.GetUtcNow()).Active;

    internal void Maintenance(MaintenancePayload payload) => _maintenance[payload.Machine] = payload;

    /// <summary>Every monitored signal and every machine with alarms or maintenance.</summary>
    public IReadOnlyList<MachineConditionView> All()
    {
        var machines = _order.Select(k => _signals[k].Machine).Concat(_maintenance.Keys).Distinct(StringComparer.Ordinal).ToList();
        return [.. machines.Select(m => Machine(m)!)];
    }

    /// <summary>One machine; signals and maintenance empty when it has none configured.</summary>
    public MachineConditionView? Machine(string machine) => new(
        machine,
        [.. _order.Select(k => _signals[k]).Where(s => s.Machine == machine).Select(s => s.View())],
        _alarms.GetValueOrDefault(machine) ?? [],
        _maintenance.GetValueOrDefault(machine));

    private sealed class SignalState(string machine, string signal, string? unit, ConditionDefinition definition)
    {
        private readonly object _gate = new();
        private readonly Queue<ConditionPoint> _history = new();
        private ConditionPayload? _latest;

        public string Machine { get; } = machine;

        public string? Unit { get; } = unit;

        public void Add(ConditionPayload payload, ConditionPoint point)
        {
            lock (_gate)
            {
                _latest = payload;
                _history.Enqueue(point);
                while (_history.Count > HistoryCapacity)
                {
                    _history.Dequeue();
                }
            }
        }

        public SignalConditionView View()
        {
            lock (_gate)
            {
                var vibration = definition.Input != ConditionInput.Generic;
                return new SignalConditionView(Machine, signal, vibration ? "mm/s" : Unit, vibration ? "velocityRms" : "mean",
                    definition.IsoClass?.ToString(),
                    definition.IsoClass is { } iso && vibration ? IsoZoneClassifier.Boundaries(iso) : null,
                    _latest, [.. _history]);
            }
        }
    }
}
