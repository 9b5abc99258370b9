using EdgeOps.Core.Engine;
using EdgeOps.Core.Engine.Events;
using EdgeOps.Core.Kpi;

namespace EdgeOps.Gateway.Engine;

/// <summary>
/// What the engine loop last published, for readers on other threads (console, web, health): the latest line
/// snapshot, the most recent shift records and events. The engine itself is single-threaded; readers never touch it.
/// </summary>
public sealed class EngineView
{
    private const int MaxEvents = 500;
    private const int MaxShiftRecords = 64;
    private readonly object _gate = new();
    private readonly LinkedList<EngineEvent> _events = new();
    private readonly Dictionary<(string Machine, string ShiftId), ShiftRecord> _shifts = [];
    private LineSnapshot? _line;

    /// <summary>Raised on the engine thread after each snapshot; handlers must only hand off work.</summary>
    public event Action<LineSnapshot>? SnapshotPublished;

    public LineSnapshot? Line => Volatile.Read(ref _line);

    /// <summary>Signals processed since start.</summary>
    public long SignalsProcessed => Interlocked.Read(ref _signalsProcessed);

    private long _signalsProcessed;

    public IReadOnlyList<EngineEvent> RecentEvents()
    {
        lock (_gate)
        {
            return [.. _events];
        }
    }

    /// <summary>Closed (and revised) shift records, newest last, latest revision only.</summary>
    public IReadOnlyList<ShiftRecord> ShiftRecords()
    {
        lock (_gate)
        {
            return [.. _shifts.Values.OrderBy(r => r.End).ThenBy(r => r.MachineId, StringComparer.Ordinal)];
        }
    }

    internal void Publish(LineSnapshot snapshot, long signalsProcessed)
    {
        Volatile.Write(ref _line, snapshot);
        Interlocked.Exchange(ref _signalsProcessed, signalsProcessed);
        SnapshotPublished?.Invoke(snapshot);
    }

    internal void Add(EngineEvent e)
    {
        lock (_gate)
        {
            _events.AddLast(e);
            if (_events.Count > MaxEvents)
            {
                _events.RemoveFirst();
            }

            var record = e switch
            {
                ShiftClosedEvent closed => closed.Record,
                ShiftRevisedEvent revised => revised.Record,
                _ => null,
            };
            if (record is not null)
            {
                _shifts[(record.MachineId, record.ShiftId)] = record;
                if (_shifts.Count > MaxShiftRecords)
                {
                    var oldest = _shifts.MinBy(kv => kv.Value.End).Key;
                    _shifts.Remove(oldest);
                }
            }
        }
    }
}
