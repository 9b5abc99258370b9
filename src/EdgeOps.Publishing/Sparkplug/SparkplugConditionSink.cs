using EdgeOps.Contract.Sparkplug;
using EdgeOps.Core.Condition;
using EdgeOps.Core.Condition.Alarms;
using EdgeOps.Core.Condition.Maintenance;
using EdgeOps.Core.Engine;
using EdgeOps.Core.Model;

namespace EdgeOps.Publishing.Sparkplug;

/// <summary>
/// Condition monitoring, alarms and maintenance as Sparkplug device metrics (<see cref="ConditionMetrics"/>): each call sets
/// the machine's values and, when its minimum interval allows, sends the changed ones in a DDATA at once (condition
/// windows come every publish interval, alarms and maintenance on their events, so they would otherwise wait for the next
/// engine snapshot); what the interval holds back goes with the next snapshot's DDATA. Called on the engine thread.
/// </summary>
public sealed class SparkplugConditionSink : IConditionSink
{
    private readonly SparkplugSession _session;
    private readonly TimeProvider _time;

    /// <summary>Feeds <paramref name="session"/>.</summary>
    public SparkplugConditionSink(SparkplugSession session, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(session);
        _session = session;
        _time = time;
    }

    /// <inheritdoc />
    public void Condition(ConditionSnapshot snapshot, ConditionDefinition definition, string? unit)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        Update(snapshot.Machine, device => device.Condition.Window(snapshot, (ulong)snapshot.Features.WindowEnd.ToUnixTimeMilliseconds()));
    }

    /// <inheritdoc />
    public void Alarms(string machine, IReadOnlyList<AlarmEvent> events, IEnumerable<ActiveAlarm> active)
    {
        ArgumentNullException.ThrowIfNull(active);
        Update(machine, device => device.Condition.Alarms(active, Now()));
    }

    /// <inheritdoc />
    public void Maintenance(MaintenanceCounters counters, IReadOnlyList<MaintenanceDefinition> items, IReadOnlyList<MaintenanceEvent> events)
    {
        ArgumentNullException.ThrowIfNull(counters);
        Update(counters.Machine, device => device.Condition.Maintenance(counters, Now()));
    }

    private void Update(string machine, Action<SparkplugDevice> set)
    {
        var model = _session.Model;
        if (model.Device(machine) is not { } device)
        {
            return;
        }

        List<SparkplugMetric>? metrics = null;
        int session;
        lock (model.Gate)
        {
            set(device);
            session = model.LiveSession;
            var now = _time.GetTimestamp();

            // A dead device's values go out in its next DBIRTH; a held change with the next snapshot after the interval.
            if (device.Online && device.Metrics.AnyChanged && device.DataDue(now, _session.Settings.MinInterval, _time))
            {
                device.LastDataTimestamp = now;
                metrics = [];
                device.Metrics.TakeChanges(metrics, historical: session == 0);
            }
        }

        if (metrics is { Count: > 0 })
        {
            _session.Enqueue(SparkplugEntryKind.Data, session, model.DeviceTopic(SparkplugMessageType.DData, device.Id),
                new SparkplugPayload { Timestamp = Now(), Metrics = metrics });
        }
    }

    private ulong Now() => (ulong)_time.GetUtcNow().ToUnixTimeMilliseconds();
}
