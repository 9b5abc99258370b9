using EdgeOps.Core.Engine;
using EdgeOps.Core.Model;

namespace EdgeOps.Gateway.Web;

/// <summary>One sampled point of a machine's shift for the machine page's charts.</summary>
public sealed record HistoryPoint(DateTimeOffset Time, long Good, double? Target, StateCategory State, string ReasonCode);

/// <summary>
/// Bounded in-memory history per machine, sampled from the engine's snapshots at most every
/// <see cref="SampleEvery"/> of engine time and cleared when a new shift starts. Memory: machines × <see cref="Capacity"/> points.
/// </summary>
public sealed class MachineHistory
{
    public const int Capacity = 2000;
    public static readonly TimeSpan SampleEvery = TimeSpan.FromSeconds(15);
    private readonly object _gate = new();
    private readonly Dictionary<string, Queue<HistoryPoint>> _points = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string? Shift, DateTimeOffset Last, StateCategory State)> _last = new(StringComparer.Ordinal);

    /// <summary>Called on the engine thread: cheap, bounded work only.</summary>
    public void Add(LineSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        lock (_gate)
        {
            foreach (var m in snapshot.Machines)
            {
                if (!_points.TryGetValue(m.MachineId, out var queue))
                {
                    queue = new Queue<HistoryPoint>();
                    _points[m.MachineId] = queue;
                }

                var shift = m.Shift?.Id;
                _last.TryGetValue(m.MachineId, out var last);
                if (last.Shift != shift)
                {
                    queue.Clear();
                }
                else if (m.Timestamp - last.Last < SampleEvery && m.State == last.State)
                {
                    // State changes always get a point, so the timeline shows short stops.
                    continue;
                }

                queue.Enqueue(new HistoryPoint(m.Timestamp, m.ShiftCounts.Good, m.Capacity.Target, m.State, m.ReasonCode));
                if (queue.Count > Capacity)
                {
                    queue.Dequeue();
                }

                _last[m.MachineId] = (shift, m.Timestamp, m.State);
            }
        }
    }

    public IReadOnlyList<HistoryPoint> For(string machineId)
    {
        lock (_gate)
        {
            return _points.TryGetValue(machineId, out var q) ? [.. q] : [];
        }
    }
}
