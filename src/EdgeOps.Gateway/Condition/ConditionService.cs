using System.Text.Json;
using EdgeOps.Core.Condition;
using EdgeOps.Core.Condition.Alarms;
using EdgeOps.Core.Condition.Maintenance;
using EdgeOps.Core.Engine;
using EdgeOps.Core.Engine.Events;
using EdgeOps.Core.Model;
using EdgeOps.Core.Signals;
using EdgeOps.Gateway.Checkpoints;
using EdgeOps.Gateway.Engine;
using EdgeOps.Publishing.Mqtt.Condition;

namespace EdgeOps.Gateway.Condition;

/// <summary>
/// Condition monitoring and maintenance counting wired into the engine loop (docs/condition-monitoring.md §9).
/// Everything here runs on the engine thread: analog samples feed one <see cref="ConditionMonitor"/> per configured
/// signal, the machine's Running changes and total-count increments feed its <see cref="MaintenanceCounters"/>, and
/// what they produce goes to every <see cref="IConditionSink"/> (the JSON contract's bridge, the Sparkplug edge node) and
/// to <see cref="ConditionView"/> for the web API.
/// Maintenance counters and learned baselines are checkpointed with the engine's counts.
/// </summary>
public sealed partial class ConditionService : IAnalogObserver, IEngineSink, ICheckpointParticipant
{
    public const string CheckpointKey = "condition";

    private readonly Monitored?[] _byHandle;
    private readonly Monitored[] _monitors;
    private readonly MachineCondition[] _machines;
    private readonly Dictionary<string, MachineCondition> _machineById = new(StringComparer.Ordinal);
    private readonly IReadOnlyList<IConditionSink> _sinks;
    private readonly CheckpointStore _store;
    private readonly ConditionView _view;
    private readonly TimeSpan _maintenancePublishInterval;
    private readonly ILogger _logger;
    private bool _started;

    public ConditionService(SignalCatalog catalog, CheckpointStore store, ConditionView view, IReadOnlyList<IConditionSink> sinks,
        TimeSpan maintenancePublishInterval, ILogger<ConditionService> logger)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        _store = store;
        _view = view;
        _sinks = sinks;
        _maintenancePublishInterval = maintenancePublishInterval;
        _logger = logger;
        _byHandle = new Monitored?[catalog.Count];
        var monitors = new List<Monitored>();
        foreach (var info in catalog.All)
        {
            if (info.Definition.Role == SignalRole.Analog && info.Definition.Condition is { } definition)
            {
                var monitored = new Monitored(ConditionMonitor.For(info), definition, info.Definition.Unit, info.MachineIndex);
                _byHandle[info.Handle] = monitored;
                monitors.Add(monitored);
            }
        }

        _monitors = [.. monitors];
        var machines = catalog.Line.Machines;
        _machines = new MachineCondition[machines.Count];
        for (var i = 0; i < machines.Count; i++)
        {
            var machine = machines[i];
            _machines[i] = new MachineCondition(machine.Id, machine.Maintenance,
                machine.Maintenance.Count > 0 ? new MaintenanceCounters(machine.Id, machine.Maintenance) : null,
                [.. _monitors.Where(m => m.MachineIndex == i)]);
            _machineById[machine.Id] = _machines[i];
        }

        _view.Configure(_monitors.Select(m => (m.Monitor.Machine, m.Monitor.Signal, m.Definition, m.Unit)));
    }

    public string Key => CheckpointKey;

    /// <inheritdoc />
    public void OnAnalog(in Signal signal, bool machineRunning)
    {
        if ((uint)signal.Handle >= (uint)_byHandle.Length || _byHandle[signal.Handle] is not { } monitored)
        {
            return;
        }

        var monitor = monitored.Monitor;
        if (monitor.Observe(signal, machineRunning) && monitor.Latest is { } latest)
        {
            _view.Window(latest, monitored.Definition);
            if (monitor.TryTakePublication(signal.Timestamp, out var publication))
            {
                foreach (var sink in _sinks)
                {
                    sink.Condition(publication, monitored.Definition, monitored.Unit);
                }
            }
        }

        if (monitor.HasEvents)
        {
            var events = monitor.TakeEvents();
            var machine = _machines[monitored.MachineIndex];
            foreach (var e in events)
            {
                if (e.Transition == AlarmTransition.Raised)
                {
                    ConditionLog.AlarmRaised(_logger, e.Machine, e.Signal, e.Alarm, e.Feature, e.Value, e.Threshold);
                }
                else
                {
                    ConditionLog.AlarmCleared(_logger, e.Machine, e.Signal, e.Alarm, e.Feature, e.Value);
                }
            }

            var active = machine.ActiveAlarms();
            _view.Alarms(machine.Id, active);
            foreach (var sink in _sinks)
            {
                sink.Alarms(machine.Id, events, active);
            }
        }
    }

    /// <inheritdoc />
    public void OnEvent(EngineEvent engineEvent)
    {
        if (engineEvent is StateChangedEvent changed && (uint)changed.MachineIndex < (uint)_machines.Length
            && _machines[changed.MachineIndex].Counters is { } counters)
        {
            counters.Observe(changed.To == StateCategory.Running, changed.Timestamp);
            PublishMaintenance(_machines[changed.MachineIndex], changed.Timestamp, force: false);
        }
    }

    /// <inheritdoc />
    public void OnSnapshot(LineSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (!_started)
        {
            // Alarm states are not checkpointed (they re-raise from the data): replace a retained list a previous
            // run left behind with what this run knows, so a consumer never sees an alarm nobody will clear.
            _started = true;
            foreach (var machine in _machines.Where(m => m.HasMonitors))
            {
                foreach (var sink in _sinks)
                {
                    sink.Alarms(machine.Id, [], machine.ActiveAlarms());
                }
            }
        }

        foreach (var m in snapshot.Machines)
        {
            if ((uint)m.MachineIndex >= (uint)_machines.Length || _machines[m.MachineIndex] is not { Counters: { } counters } machine)
            {
                continue;
            }

            var total = m.LifetimeCounts.Total;
            if (machine.LastTotal is { } last && total > last)
            {
                counters.AddCycles(total - last, snapshot.Timestamp);
            }

            // A lower total (an engine checkpoint that did not fit and was set aside) is a new origin, not negative cycles.
            machine.LastTotal = total;
            counters.Observe(m.State == StateCategory.Running, snapshot.Timestamp);
            PublishMaintenance(machine, snapshot.Timestamp, force: machine.LastPublished is null);
        }
    }

    /// <inheritdoc />
    public string Save(DateTimeOffset now)
    {
        var checkpoint = new ConditionCheckpoint
        {
            Maintenance = [.. _machines.Where(m => m.Counters is not null)
                .Select(m => new MachineCheckpoint { State = m.Counters!.Checkpoint(now), LastTotal = m.LastTotal })],
            Baselines = [.. _monitors.Select(m => m.Monitor.Checkpoint())],
        };
        return JsonSerializer.Serialize(checkpoint, Hosting.GatewayJson.Checkpoint<ConditionCheckpoint>());
    }

    /// <inheritdoc />
    public void Restore(string json)
    {
        var checkpoint = JsonSerializer.Deserialize(json, Hosting.GatewayJson.Checkpoint<ConditionCheckpoint>())
            ?? throw new JsonException("The condition checkpoint is empty.");
        foreach (var saved in checkpoint.Maintenance)
        {
            if (!_machineById.TryGetValue(saved.State.Machine, out var machine) || machine.Items.Count == 0)
            {
                ConditionLog.CheckpointDropped(_logger, saved.State.Machine, "the machine has no maintenance items any more");
                continue;
            }

            try
            {
                machine.Counters = new MaintenanceCounters(machine.Id, machine.Items, saved.State);
                machine.LastTotal = saved.LastTotal;
            }
            catch (ArgumentException ex)
            {
                ConditionLog.CheckpointDropped(_logger, saved.State.Machine, ex.Message);
            }
        }

        foreach (var state in checkpoint.Baselines)
        {
            var monitored = _monitors.FirstOrDefault(m => m.Monitor.Machine == state.Machine && m.Monitor.Signal == state.Signal);
            if (monitored is not null)
            {
                monitored.Monitor.Restore(state);
            }
        }

        ConditionLog.Restored(_logger, checkpoint.Maintenance.Count, checkpoint.Baselines.Count);
    }

    /// <summary>
    /// Records maintenance of <paramref name="item"/> on <paramref name="machineId"/> by <paramref name="by"/> (engine thread).
    /// On success the item's usage restarts, the reset event and the new counters are published and the state is written
    /// to the checkpoint store before returning. Returns null, or why nothing changed.
    /// </summary>
    public string? Reset(string machineId, string item, string by, DateTimeOffset now)
    {
        if (!_machineById.TryGetValue(machineId, out var machine))
        {
            return $"unknown machine '{machineId}'; configured: {string.Join(", ", _machines.Select(m => m.Id))}";
        }

        if (machine.Counters is not { } counters)
        {
            var with = _machines.Where(m => m.Counters is not null).Select(m => m.Id).ToList();
            return $"machine '{machineId}' has no maintenance items configured"
                + (with.Count > 0 ? $"; machines with maintenance: {string.Join(", ", with)}" : string.Empty);
        }

        if (!machine.Items.Any(i => i.Item == item))
        {
            return $"machine '{machineId}' has no maintenance item '{item}'; configured: {string.Join(", ", machine.Items.Select(i => i.Item))}";
        }

        // Count run time up to the reset (Checkpoint observes the current running state at 'now').
        _ = counters.Checkpoint(now);
        var reset = counters.Reset(item, by, now);
        _store.Save(CheckpointKey, Save(now), now);
        ConditionLog.MaintenanceReset(_logger, machineId, item, by, reset.RunHours, reset.Cycles, reset.Starts);
        machine.Pending.Add(reset);
        PublishMaintenance(machine, now, force: true);
        return null;
    }

    private void PublishMaintenance(MachineCondition machine, DateTimeOffset now, bool force)
    {
        var counters = machine.Counters!;
        var events = counters.TakeEvents();
        if (machine.Pending.Count > 0)
        {
            events = [.. machine.Pending, .. events];
            machine.Pending.Clear();
        }

        foreach (var e in events)
        {
            if (e.Kind != MaintenanceEventKind.Reset)
            {
                ConditionLog.MaintenanceLevel(_logger, e.Machine, e.Item, e.Kind.ToString(), e.RunHours, e.Cycles, e.Starts);
            }
        }

        var due = machine.LastPublished is not { } last || now - last >= _maintenancePublishInterval || now < last;
        if (!force && events.Count == 0 && !due)
        {
            // Keep the web view fresh between publications (cheap: one record per machine).
            if (machine.LastViewed is not { } viewed || now - viewed >= TimeSpan.FromSeconds(1) || now < viewed)
            {
                machine.LastViewed = now;
                _view.Maintenance(ConditionPayloads.Maintenance(counters, machine.Items, now));
            }

            return;
        }

        machine.LastPublished = now;
        machine.LastViewed = now;
        _view.Maintenance(ConditionPayloads.Maintenance(counters, machine.Items, now));
        foreach (var sink in _sinks)
        {
            sink.Maintenance(counters, machine.Items, events);
        }
    }

    private sealed record Monitored(ConditionMonitor Monitor, ConditionDefinition Definition, string? Unit, int MachineIndex);

    private sealed class MachineCondition(string id, IReadOnlyList<MaintenanceDefinition> items, MaintenanceCounters? counters, Monitored[] monitors)
    {
        public string Id { get; } = id;

        public IReadOnlyList<MaintenanceDefinition> Items { get; } = items;

        public MaintenanceCounters? Counters { get; set; } = counters;

        public long? LastTotal { get; set; }

        public DateTimeOffset? LastPublished { get; set; }

        public DateTimeOffset? LastViewed { get; set; }

        public List<MaintenanceEvent> Pending { get; } = [];

        public bool HasMonitors => monitors.Length > 0;

        public List<ActiveAlarm> ActiveAlarms() => [.. monitors.SelectMany(m => m.Monitor.ActiveAlarms)];
    }
}

/// <summary>What <see cref="ConditionService"/> keeps in the checkpoint store under <see cref="ConditionService.CheckpointKey"/>.</summary>
public sealed record ConditionCheckpoint
{
    public IReadOnlyList<MachineCheckpoint> Maintenance { get; init; } = [];

    public IReadOnlyList<ConditionState> Baselines { get; init; } = [];
}

/// <summary>One machine's maintenance counters, with the lifetime total count they have consumed.</summary>
public sealed record MachineCheckpoint
{
    public required MaintenanceState State { get; init; }

    public long? LastTotal { get; init; }
}

internal static partial class ConditionLog
{
    [LoggerMessage(EventId = 700, Level = LogLevel.Warning, Message = "Condition alarm raised: {Machine}/{Signal} '{Alarm}' ({Feature} {Value} reached {Threshold})")]
    public static partial void AlarmRaised(ILogger logger, string machine, string signal, string alarm, string feature, double value, double threshold);

    [LoggerMessage(EventId = 701, Level = LogLevel.Information, Message = "Condition alarm cleared: {Machine}/{Signal} '{Alarm}' ({Feature} {Value})")]
    public static partial void AlarmCleared(ILogger logger, string machine, string signal, string alarm, string feature, double value);

    [LoggerMessage(EventId = 702, Level = LogLevel.Warning, Message = "Maintenance {Machine}/{Item}: {Level} after {RunHours} h, {Cycles} cycles, {Starts} starts")]
    public static partial void MaintenanceLevel(ILogger logger, string machine, string item, string level, double runHours, long cycles, long starts);

    [LoggerMessage(EventId = 703, Level = LogLevel.Information, Message = "Maintenance {Machine}/{Item} reset by {By} after {RunHours} h, {Cycles} cycles, {Starts} starts")]
    public static partial void MaintenanceReset(ILogger logger, string machine, string item, string by, double runHours, long cycles, long starts);

    [LoggerMessage(EventId = 704, Level = LogLevel.Warning, Message = "Maintenance checkpoint of machine '{Machine}' not restored: {Reason}")]
    public static partial void CheckpointDropped(ILogger logger, string machine, string reason);

    [LoggerMessage(EventId = 705, Level = LogLevel.Information, Message = "Condition state restored: maintenance of {Machines} machine(s), baselines of {Signals} signal(s)")]
    public static partial void Restored(ILogger logger, int machines, int signals);
}
