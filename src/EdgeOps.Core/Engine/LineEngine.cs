using EdgeOps.Core.Engine.Checkpoints;
using EdgeOps.Core.Engine.Events;
using EdgeOps.Core.Shifts;
using EdgeOps.Core.Signals;

namespace EdgeOps.Core.Engine;

/// <summary>
/// The line's machine model: turns <see cref="Signal"/>s into machine states, stops, counts, shift records and KPIs
/// (DESIGN.md sections 3 and 4). Pure and time-injected: time comes only from signal timestamps and the
/// <c>now</c> arguments, so a test replays a whole shift in microseconds.
/// <para>
/// Not thread-safe: one owner thread calls <see cref="Process"/>, <see cref="Advance"/>, the commands, snapshots and
/// checkpoints (the host's engine loop). <see cref="Process"/> allocates nothing on the steady path (a count, a
/// repeated state value, an analog value); state changes, stops and anomalies create events.
/// </para>
/// <para>
/// Counts outside any shift (the gap between shifts) go to the lifetime counts and to the gap's own figures in
/// snapshots, never into a shift record.
/// </para>
/// </summary>
public sealed partial class LineEngine
{
    /// <summary>How many closed shifts are kept for late data and reason assignment.</summary>
    public const int RetainedClosedShifts = 3;

    /// <summary>Starts an engine for a line at <paramref name="start"/>: every machine is Offline until its first signal.</summary>
    public LineEngine(SignalCatalog catalog, DateTimeOffset start)
        : this(catalog, start.UtcTicks)
    {
        _period = OpenPeriodAt(start.UtcTicks);
        _horizonTicks = _period.StartTicks;
        _inBreak = _period.InBreak(_now);
        _nextDeadline = ComputeNextDeadline();
    }

    /// <summary>The signal catalog the engine was built from (its line definition included).</summary>
    public SignalCatalog Catalog => _catalog;

    /// <summary>The line's shift calendar.</summary>
    public ShiftCalendar Calendar => _calendar;

    /// <summary>Number of machines (indexes 0..MachineCount-1 in config order).</summary>
    public int MachineCount => _machines.Length;

    /// <summary>Engine time: the latest signal timestamp or <see cref="Advance"/> instant seen.</summary>
    public DateTimeOffset Now => new(_now, TimeSpan.Zero);

    /// <summary>Finds a machine's index by id.</summary>
    public bool TryGetMachineIndex(string machineId, out int machineIndex) =>
        _machineIndex.TryGetValue(machineId, out machineIndex);

    /// <summary>
    /// Applies one signal. Counts go to the period their timestamp falls in (late data into a retained closed
    /// shift revises it); state inputs change the state at the signal's time (never earlier than time already
    /// accounted); analog values only refresh the machine's freshness. A Bad-quality signal marks its input stale
    /// at once (the machine goes Offline until a good value arrives); Uncertain counts as good. Unknown handles and
    /// timestamps more than 31 days after <see cref="Now"/> are ignored and counted.
    /// </summary>
    public void Process(in Signal signal)
    {
        var handle = signal.Handle;
        if ((uint)handle >= (uint)_slots.Length)
        {
            _unknownHandles++;
            return;
        }

        var t = signal.Timestamp.UtcTicks;
        if (t - _now > MaxFutureTicks)
        {
            // A bogus source clock (year 2100) would otherwise roll the engine through decades of shifts.
            _futureSignals++;
            return;
        }

        if (t >= _nextDeadline)
        {
            RunDeadlines(t);
        }

        if (t > _now)
        {
            _now = t;
        }

        ref var slot = ref _slots[handle];
        var m = _machines[slot.Machine];
        if (slot.Role == SignalRole.ReasonSelect)
        {
            // An operator's button, not machine activity: no freshness, no state input.
            if (signal.Quality != SignalQuality.Bad && signal.Value > 0 && t > slot.LastTicks)
            {
                slot.LastTicks = t;
                OnReasonButton(in slot, m, handle);
            }

            return;
        }

        if (signal.Quality == SignalQuality.Bad)
        {
            OnBadQuality(ref slot, m, t);
            return;
        }

        var reevaluate = false;
        if (slot.Bad)
        {
            slot.Bad = false;
            m.BadInputs--;
            reevaluate = true;
        }

        if (t > m.LastFreshTicks)
        {
            m.LastFreshTicks = t;
        }

        if (m.TimedOut && m.LastFreshTicks + m.StaleTicks > _now)
        {
            m.TimedOut = false;
            reevaluate = true;
        }

        if (slot.IsCount)
        {
            reevaluate |= slot.Totalizer
                ? OnTotalizer(ref slot, m, signal.Value, t)
                : OnPulse(ref slot, m, signal.Value, t);
        }
        else if (slot.Role is SignalRole.Order or SignalRole.Product)
        {
            OnOrderSignal(ref slot, m, in signal, t, handle);
        }
        else if (slot.Role != SignalRole.Analog)
        {
            reevaluate |= OnStateInput(ref slot, m, signal.Value, t, handle);
        }

        if (reevaluate)
        {
            Reevaluate(m, t);
            _nextDeadline = ComputeNextDeadline();
        }
    }

    /// <summary>
    /// Moves engine time to <paramref name="now"/> and fires time-driven transitions: stale inputs → Offline,
    /// shift boundaries (close and open), break start and end, counting-only inference timeouts, stops growing past
    /// the micro-stop threshold; and emits one <see cref="ShiftRevisedEvent"/> per closed shift changed since the
    /// last call. Call every 100–250 ms and after replaying a batch. A <paramref name="now"/> earlier than
    /// <see cref="Now"/> does nothing.
    /// </summary>
    public void Advance(DateTimeOffset now)
    {
        AdvanceTo(now.UtcTicks);
        PublishRevisions();
        PublishOrderRevisions();
    }

    /// <summary>Moves pending events, oldest first, into <paramref name="into"/>; returns how many.</summary>
    public int DrainEvents(ICollection<EngineEvent> into)
    {
        ArgumentNullException.ThrowIfNull(into);
        var n = _events.Count;
        foreach (var e in _events)
        {
            into.Add(e);
        }

        _events.Clear();
        return n;
    }

    /// <summary>Events dropped because nobody drained them (the queue keeps at most 100 000).</summary>
    public long DroppedEventCount => _droppedEvents;

    /// <summary>
    /// Signals ignored because their timestamp lies more than 31 days after engine time (a source clock gone wrong).
    /// </summary>
    public long FutureSignalCount => _futureSignals;

    /// <summary>Reason-button presses that named no stop (the machine ran and had no stop end in the reason window).</summary>
    public long IgnoredReasonPressCount => _ignoredReasonPresses;

    /// <summary>Signals ignored because their handle is not in the catalog.</summary>
    public long UnknownHandleCount => _unknownHandles;

    /// <summary>Number of events waiting to be drained.</summary>
    public int PendingEventCount => _events.Count;

    /// <summary>
    /// Increases whenever something published about the machine changes (state, reason, counts, stop
    /// classification, shift). Time-driven drift of durations and ratios does not bump it, so publish on change plus
    /// a periodic refresh.
    /// </summary>
    public long GetVersion(int machineIndex) => _machines[machineIndex].Version;

    /// <summary>
    /// The machine's state, counts and KPIs at <paramref name="now"/>. Moves engine time to <paramref name="now"/>
    /// first, like <see cref="Advance"/> (an earlier <paramref name="now"/> reads at <see cref="Now"/>).
    /// </summary>
    public MachineSnapshot GetMachineSnapshot(int machineIndex, DateTimeOffset now)
    {
        AdvanceTo(now.UtcTicks);
        return Snapshot(_machines[machineIndex]);
    }

    /// <summary>All machines plus the line's output at <paramref name="now"/> (moves engine time like a machine snapshot).</summary>
    public LineSnapshot GetLineSnapshot(DateTimeOffset now)
    {
        AdvanceTo(now.UtcTicks);
        return LineSnapshotCore();
    }

    /// <summary>
    /// Gives a stop its reason, identified by its start (the current stop, one in this shift or in a retained closed
    /// shift, which is then revised). The start matches to the millisecond (payload precision). The reason must be
    /// configured for the machine (line or machine reasons, or a built-in one) with category Down, Changeover or Idle.
    /// Ended micro-stops cannot take a reason (they are a performance loss without a reason breakdown).
    /// </summary>
    /// <returns>False with <paramref name="error"/> naming what is wrong (machine, stop, reason).</returns>
    public bool AssignReason(string machineId, DateTimeOffset stopStart, string reasonCode, string who, out string? error) =>
        AssignReasonCore(machineId, null, stopStart.UtcTicks, reasonCode, who, out error);

    /// <summary>Gives a stop its reason, identified by its id (from snapshots and events).</summary>
    /// <returns>False with <paramref name="error"/> naming what is wrong (machine, stop, reason).</returns>
    public bool AssignReason(string machineId, long stopId, string reasonCode, string who, out string? error) =>
        AssignReasonCore(machineId, stopId, 0, reasonCode, who, out error);

    /// <summary>Starts or ends a commanded planned stop (e.g. planned maintenance) at <paramref name="at"/>.</summary>
    /// <returns>False when the machine id is unknown.</returns>
    public bool SetPlannedStop(string machineId, bool active, DateTimeOffset at) => SetPlannedStop(machineId, active, at, out _);

    /// <summary>Starts or ends a commanded planned stop at <paramref name="at"/>.</summary>
    /// <returns>False with <paramref name="error"/> when the machine id is unknown.</returns>
    public bool SetPlannedStop(string machineId, bool active, DateTimeOffset at, out string? error)
    {
        if (!TryGetMachine(machineId, out var m, out error))
        {
            return false;
        }

        var t = at.UtcTicks;
        AdvanceTo(t);
        if (m.PlannedCommand != active)
        {
            m.PlannedCommand = active;
            m.Version++;
            Reevaluate(m, t);
            _nextDeadline = ComputeNextDeadline();
        }

        return true;
    }

    /// <summary>
    /// Accounts everything up to <paramref name="now"/> and returns the engine's durable state as plain data for
    /// System.Text.Json.
    /// </summary>
    public EngineCheckpoint CreateCheckpoint(DateTimeOffset now)
    {
        AdvanceTo(now.UtcTicks);
        return CheckpointCore();
    }

    /// <summary>
    /// Rebuilds an engine from a checkpoint and moves it to <paramref name="now"/>. The time between the checkpoint
    /// and <paramref name="now"/> is Offline (nothing is known about it). A restart within the same shift resumes its
    /// counts; a restart into a later shift closes the old one (its <see cref="ShiftClosedEvent"/> is pending after
    /// Restore). Totalizer baselines carry over, so a restart neither loses nor double counts totalizer units.
    /// </summary>
    /// <exception cref="ArgumentException">The checkpoint is for another line or schema version.</exception>
    public static LineEngine Restore(SignalCatalog catalog, EngineCheckpoint checkpoint, DateTimeOffset now)
    {
        var engine = RestoreCore(catalog, checkpoint);
        engine.AdvanceTo(now.UtcTicks);
        return engine;
    }
}
