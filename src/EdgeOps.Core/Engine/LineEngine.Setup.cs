using EdgeOps.Core.Engine.Events;
using EdgeOps.Core.Engine.Machines;
using EdgeOps.Core.Model;
using EdgeOps.Core.Shifts;
using EdgeOps.Core.Signals;

namespace EdgeOps.Core.Engine;

/// <summary>Fields and construction shared by the engine's parts.</summary>
public sealed partial class LineEngine
{
    private const int MaxPendingEvents = 100_000;
    /// <summary>Ended stops kept per machine for reason assignment (the retained shifts' stops, at most this many).</summary>
    private const int MaxRecentStops = 2_000;
    private const long MaxFutureTicks = 31 * TimeSpan.TicksPerDay;

    private readonly SignalCatalog _catalog;
    private readonly LineDefinition _line;
    private readonly ShiftCalendar _calendar;
    private readonly SignalSlot[] _slots;
    private readonly MachineState[] _machines;
    private readonly Dictionary<string, int> _machineIndex = new(StringComparer.Ordinal);
    private readonly int _outputMachine;
    private readonly List<EngineEvent> _events = [];
    private readonly List<Period> _closed = [];

    private long _now;
    /// <summary>Earliest instant at which something time-driven may happen; the hot path compares against it only.</summary>
    private long _nextDeadline;
    private Period _period = null!;
    /// <summary>Counts older than this are dropped (start of the oldest retained shift, or of the first period).</summary>
    private long _horizonTicks;
    private bool _inBreak;
    private long _nextStopId = 1;
    private long _droppedEvents;
    private long _unknownHandles;
    private long _futureSignals;
    private long _ignoredReasonPresses;

    private LineEngine(SignalCatalog catalog, long startTicks)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        _catalog = catalog;
        _line = catalog.Line;
        _calendar = ShiftCalendar.ForLine(_line);
        _now = startTicks;
        _machines = new MachineState[_line.Machines.Count];
        for (var i = 0; i < _machines.Length; i++)
        {
            var m = new MachineState(i, _line.Machines[i], _line)
            {
                StateSinceTicks = startTicks,
                AccountedUntil = startTicks,
                WindowOriginTicks = startTicks,
            };
            m.ProductHistory.Add(new ProductSpan(long.MinValue, -1, m.IdealTicks));
            _machines[i] = m;
            _machineIndex[m.Id] = i;
        }

        _outputMachine = _machineIndex.TryGetValue(_line.OutputMachineDefinition.Id, out var output) ? output : _machines.Length - 1;
        _slots = new SignalSlot[catalog.Count];
        for (var h = 0; h < catalog.Count; h++)
        {
            var info = catalog[h];
            var def = info.Definition;
            var isCount = def.Role is SignalRole.Total or SignalRole.Good or SignalRole.Reject or SignalRole.Rework;
            _slots[h] = new SignalSlot
            {
                Machine = info.MachineIndex,
                Role = def.Role,
                IsCount = isCount,
                Totalizer = isCount && def.CountMode == CountMode.Totalizer,
                Inverted = def.Inverted,
                Modulus = def.TotalizerBits is > 0 and < 63 ? 1L << def.TotalizerBits : 0,
                MaxJump = def.MaxJump is { } max && max > 0 ? (long)Math.Ceiling(max) : 0,
                ReasonIndex = def.Role == SignalRole.ReasonSelect && def.Reason is { } code
                    && _machines[info.MachineIndex].Reasons.TryFind(code, out var reason) ? reason : -1,
                Bits = def.Role == SignalRole.StatusWord ? [.. def.Bits] : null,
                WordWidth = def.WordWidth is > 0 and <= 62 ? def.WordWidth : 16,
            };
        }
    }

    private bool TryGetMachine(string machineId, out MachineState machine, out string? error)
    {
        if (machineId is not null && _machineIndex.TryGetValue(machineId, out var index))
        {
            machine = _machines[index];
            error = null;
            return true;
        }

        machine = null!;
        error = $"Unknown machine '{machineId}' on line '{_line.Line}' (known: {string.Join(", ", _machineIndex.Keys)}).";
        return false;
    }

    private void Emit(EngineEvent e)
    {
        if (_events.Count >= MaxPendingEvents)
        {
            _events.RemoveAt(0);
            _droppedEvents++;
        }

        _events.Add(e);
    }

    private static DateTimeOffset At(long ticks) => new(ticks, TimeSpan.Zero);
}
