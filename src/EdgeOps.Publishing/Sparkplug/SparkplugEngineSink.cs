using EdgeOps.Contract.Sparkplug;
using EdgeOps.Core.Engine;
using EdgeOps.Core.Engine.Events;
using EdgeOps.Core.Model;

namespace EdgeOps.Publishing.Sparkplug;

/// <summary>
/// The engine's snapshots as Sparkplug device data: each machine's metrics are read on every snapshot, and those that
/// changed go out as one DDATA per machine at most once per <see cref="SparkplugSettings.MinInterval"/> (report by
/// exception; a change held back goes out with the next snapshot after the interval). A machine that goes Offline (no
/// fresh data from its source) gets a DDEATH; when it returns, a DBIRTH with its current values. Called on the engine
/// thread; each call only writes to the outbox.
/// </summary>
public sealed class SparkplugEngineSink : IEngineSink
{
    private readonly SparkplugSession _session;
    private readonly TimeProvider _time;
    private readonly List<(SparkplugEntryKind Kind, string Topic, SparkplugPayload Payload)> _out = [];

    /// <summary>Feeds <paramref name="session"/>.</summary>
    public SparkplugEngineSink(SparkplugSession session, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(session);
        _session = session;
        _time = time;
    }

    /// <summary>Events are not published separately: a state change, a stop or an assigned reason shows in the next snapshot's metrics.</summary>
    public void OnEvent(EngineEvent engineEvent)
    {
    }

    /// <inheritdoc />
    public void OnSnapshot(LineSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var model = _session.Model;
        var now = _time.GetTimestamp();
        var nowMs = (ulong)_time.GetUtcNow().ToUnixTimeMilliseconds();
        int session;
        _out.Clear();
        lock (model.Gate)
        {
            session = model.LiveSession;
            var historical = session == 0;
            foreach (var machine in snapshot.Machines)
            {
                if (model.Device(machine.MachineId) is not { } device)
                {
                    continue;
                }

                MachineMetrics.Fill(machine, device.Metrics, (ulong)machine.Timestamp.ToUnixTimeMilliseconds());
                var offline = machine.State == StateCategory.Offline;
                if (device.Online && offline)
                {
                    // The last values (state "offline" among them) before the death, so the history shows the transition.
                    device.Online = false;
                    Data(device, model, historical, nowMs);
                    if (session != 0)
                    {
                        _out.Add((SparkplugEntryKind.DeviceDeath, model.DeviceTopic(SparkplugMessageType.DDeath, device.Id), new SparkplugPayload { Timestamp = nowMs }));
                    }
                }
                else if (!device.Online && !offline)
                {
                    device.Online = true;
                    device.LastDataTimestamp = now;
                    if (session != 0)
                    {
                        var metrics = new List<SparkplugMetric>();
                        device.Metrics.Birth(metrics, nowMs);
                        _out.Add((SparkplugEntryKind.DeviceBirth, model.DeviceTopic(SparkplugMessageType.DBirth, device.Id), new SparkplugPayload { Timestamp = nowMs, Metrics = metrics }));
                    }
                }
                else if (device.Online && device.Metrics.AnyChanged && device.DataDue(now, _session.Settings.MinInterval, _time))
                {
                    device.LastDataTimestamp = now;
                    Data(device, model, historical, nowMs);
                }
            }
        }

        // One commit for the snapshot's messages of every machine.
        _session.EnqueueBatch(_out, session);
    }

    private void Data(SparkplugDevice device, SparkplugModel model, bool historical, ulong nowMs)
    {
        var metrics = new List<SparkplugMetric>();
        device.Metrics.TakeChanges(metrics, historical);
        if (metrics.Count > 0)
        {
            _out.Add((SparkplugEntryKind.Data, model.DeviceTopic(SparkplugMessageType.DData, device.Id), new SparkplugPayload { Timestamp = nowMs, Metrics = metrics }));
        }
    }
}
