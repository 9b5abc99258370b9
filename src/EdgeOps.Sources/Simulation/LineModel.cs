using EdgeOps.Core.Model;
using EdgeOps.Core.Signals;

namespace EdgeOps.Sources.Simulation;

/// <summary>
/// The discrete-event model of a line, in simulated time only (no clock, one seed): machines in flow order with
/// small buffers between neighbours, cycle-time jitter, rejects, faults with repair times, and the shift calendar.
/// A machine starts a cycle when it has a part (the first machine always has) and is not down, in a break or
/// holding a finished part that the full buffer downstream cannot take (blocked).
/// </summary>
internal sealed class LineModel
{
    /// <summary>Analog sampling at speed 1 (20 Hz); at higher speeds samples are spaced so real time still sees ~20 Hz.</summary>
    public static readonly TimeSpan BaseSampleInterval = TimeSpan.FromMilliseconds(50);

    private static readonly TimeSpan MinRepair = TimeSpan.FromSeconds(5);

    private readonly LineDefinition _line;
    private readonly SimulatorDefinition _settings;
    private readonly SignalCatalog _catalog;
    private readonly ShiftSchedule _schedule;
    private readonly PriorityQueue<Event, (long Ticks, long Sequence)> _queue = new();
    private readonly List<Signal> _output = [];
    private MachineModel[] _machines = [];
    private int[] _buffers = [];
    private long _sequence;
    private bool _producing;
    private DateTimeOffset _now;

    public LineModel(LineDefinition line, SignalCatalog catalog)
    {
        _line = line;
        _catalog = catalog;
        _settings = line.Sources.Simulator ?? new SimulatorDefinition();
        _schedule = new ShiftSchedule(line);
    }

    public TimeSpan SampleInterval => BaseSampleInterval * Math.Max(1.0, _settings.Speed);

    /// <summary>Every signal from <paramref name="from"/> (inclusive) to <paramref name="to"/> (exclusive), in time order.</summary>
    public IEnumerable<Signal> Run(DateTimeOffset from, DateTimeOffset to)
    {
        from = from.ToUniversalTime();
        _now = from;
        _machines = [.. _line.Machines.Select((m, i) => new MachineModel(i, m, _catalog, _settings, from))];
        _buffers = new int[Math.Max(0, _machines.Length - 1)];
        _producing = _schedule.IsProducing(from);
        Schedule(_schedule.NextChange(from), new Event(EventKind.Calendar, -1, 0));
        foreach (var machine in _machines)
        {
            if (machine.Analog.Count > 0)
            {
                Schedule(from, new Event(EventKind.Sample, machine.Index, 0));
            }

            Schedule(from + Heartbeat(machine), new Event(EventKind.Heartbeat, machine.Index, 0));
            EmitInitialState(machine);
        }

        StartWhatCan();
        Reconcile();
        foreach (var signal in Drain())
        {
            yield return signal;
        }

        while (_queue.TryPeek(out _, out var when) && when.Ticks < to.UtcTicks)
        {
            var next = _queue.Dequeue();
            _now = new DateTimeOffset(when.Ticks, TimeSpan.Zero);
            Handle(next);
            StartWhatCan();
            Reconcile();
            foreach (var signal in Drain())
            {
                yield return signal;
            }
        }
    }

    private void Handle(Event e)
    {
        switch (e.Kind)
        {
            case EventKind.CycleEnd:
                var machine = _machines[e.Machine];
                if (e.Generation == machine.CycleGeneration && machine.Busy)
                {
                    FinishCycle(machine);
                }

                break;

            case EventKind.RepairEnd:
                _machines[e.Machine].FaultCode = 0;
                Emit(_machines[e.Machine].FaultHandle, 0);
                break;

            case EventKind.Calendar:
                _producing = _schedule.IsProducing(_now);
                if (!_producing)
                {
                    PauseCycles();
                }

                Schedule(_schedule.NextChange(_now), e);
                break;

            case EventKind.Sample:
                var sampled = _machines[e.Machine];
                foreach (var analog in sampled.Analog)
                {
                    Emit(analog.Handle, analog.Sample(_now, sampled.Busy));
                }

                Schedule(_now + SampleInterval, e);
                break;

            case EventKind.Debounce:
                // Nothing to change: Reconcile after this event reports a wait that has now lasted long enough.
                break;

            case EventKind.Heartbeat:
                var beating = _machines[e.Machine];
                if (beating.HeartbeatHandle is { } handle)
                {
                    Emit(handle, CurrentValue(beating, handle));
                }

                Schedule(_now + Heartbeat(beating), e);
                break;

            default:
                throw new InvalidOperationException($"unknown event {e.Kind}");
        }
    }

    private void FinishCycle(MachineModel machine)
    {
        machine.Busy = false;
        Emit(machine.Total, 1);
        if (machine.Random.NextDouble() < _settings.RejectRate)
        {
            Emit(machine.Reject, 1);
            return;
        }

        Emit(machine.Good, 1);
        machine.Holding = machine.Index < _buffers.Length;
    }

    /// <summary>Hands parts on and starts cycles until nothing changes (a start upstream may free a blocked machine).</summary>
    private void StartWhatCan()
    {
        bool changed;
        do
        {
            changed = false;
            for (var i = _machines.Length - 1; i >= 0; i--)
            {
                changed |= TryHandOver(_machines[i]);
                changed |= TryStart(_machines[i]);
            }
        }
        while (changed);
    }

    private bool TryHandOver(MachineModel machine)
    {
        if (!machine.Holding || _buffers[machine.Index] >= _settings.BufferSize)
        {
            return false;
        }

        _buffers[machine.Index]++;
        machine.Holding = false;
        return true;
    }

    private bool TryStart(MachineModel machine)
    {
        if (!_producing || machine.Down || machine.Busy || machine.Holding)
        {
            return false;
        }

        if (machine.Remaining > TimeSpan.Zero)
        {
            // The cycle a break interrupted carries on where it stopped.
            BeginCycle(machine, machine.Remaining);
            machine.Remaining = TimeSpan.Zero;
            return true;
        }

        if (machine.Index > 0 && _buffers[machine.Index - 1] == 0)
        {
            return false;
        }

        // Faults strike running machines: a chance per cycle, so the mean time between faults is running time.
        var faultChance = machine.CycleTime / _settings.MeanTimeBetweenFaults;
        if (machine.Random.NextDouble() < faultChance)
        {
            Fault(machine);
            return true;
        }

        if (machine.Index > 0)
        {
            _buffers[machine.Index - 1]--;
        }

        var jitter = 1 + (2 * _settings.CycleJitter * machine.Random.NextDouble());
        BeginCycle(machine, machine.CycleTime * jitter);
        return true;
    }

    private void BeginCycle(MachineModel machine, TimeSpan duration)
    {
        machine.Busy = true;
        machine.CycleEndsAt = _now + duration;
        Schedule(machine.CycleEndsAt, new Event(EventKind.CycleEnd, machine.Index, machine.CycleGeneration));
    }

    private void Fault(MachineModel machine)
    {
        var codes = machine.FaultCodes;
        machine.FaultCode = codes.Count == 0 ? 1 : codes[machine.Random.Next(codes.Count)];
        // Exponential repair times: many short stops (micro-stops), a few long ones.
        var repair = _settings.MeanRepairTime * -Math.Log(1 - machine.Random.NextDouble());
        repair = TimeSpan.FromTicks(Math.Clamp(repair.Ticks, MinRepair.Ticks, (_settings.MeanRepairTime * 6).Ticks));
        Emit(machine.FaultHandle, codes.Count == 0 ? 1 : machine.FaultCode);
        Schedule(_now + repair, new Event(EventKind.RepairEnd, machine.Index, 0));
    }

    /// <summary>A break or the end of a shift stops every machine now; cycles resume with their remaining time.</summary>
    private void PauseCycles()
    {
        foreach (var machine in _machines.Where(m => m.Busy))
        {
            machine.Remaining = machine.CycleEndsAt - _now;
            machine.Busy = false;
            machine.CycleGeneration++;
        }
    }

    /// <summary>
    /// Sends the boolean state signals whose value changed with this event. Like a PLC, the machine reports a
    /// wait (starved, blocked) only once it has lasted <see cref="WaitDebounce"/>; shorter gaps between cycles on an
    /// unbalanced line stay "running", or every cycle of a fast machine would flicker into a stop.
    /// </summary>
    private void Reconcile()
    {
        foreach (var machine in _machines)
        {
            var waiting = _producing && !machine.Down && !machine.Busy;
            if (!waiting)
            {
                machine.WaitingSince = null;
            }
            else if (machine.WaitingSince is null)
            {
                machine.WaitingSince = _now;
                Schedule(_now + WaitDebounce(machine), new Event(EventKind.Debounce, machine.Index, 0));
            }

            var reportedWait = waiting && _now - machine.WaitingSince >= WaitDebounce(machine);
            var starved = reportedWait && !machine.Holding && machine.Index > 0 && _buffers[machine.Index - 1] == 0;
            var blocked = reportedWait && machine.Holding;
            machine.SentRunning = Update(machine.RunningHandle, machine.SentRunning, machine.Busy || (waiting && !reportedWait));
            machine.SentStarved = Update(machine.StarvedHandle, machine.SentStarved, starved);
            machine.SentBlocked = Update(machine.BlockedHandle, machine.SentBlocked, blocked);
            machine.SentPlannedStop = Update(machine.PlannedStopHandle, machine.SentPlannedStop, !_producing);
        }
    }

    private static TimeSpan WaitDebounce(MachineModel machine)
    {
        var cycles = machine.CycleTime * 1.5;
        return cycles > TimeSpan.FromSeconds(3) ? cycles : TimeSpan.FromSeconds(3);
    }

    private bool Update(int? handle, bool sent, bool value)
    {
        if (sent != value)
        {
            Emit(handle, value ? 1 : 0);
        }

        return value;
    }

    private void EmitInitialState(MachineModel machine)
    {
        Emit(machine.RunningHandle, 0);
        Emit(machine.FaultHandle, 0);
        Emit(machine.StarvedHandle, 0);
        Emit(machine.BlockedHandle, 0);
        Emit(machine.PlannedStopHandle, _producing ? 0 : 1);
        machine.SentPlannedStop = !_producing;
    }

    private double CurrentValue(MachineModel machine, int handle) =>
        handle == machine.RunningHandle ? (machine.SentRunning ? 1 : 0)
        : handle == machine.FaultHandle ? machine.FaultCode
        : handle == machine.StarvedHandle ? (machine.SentStarved ? 1 : 0)
        : handle == machine.BlockedHandle ? (machine.SentBlocked ? 1 : 0)
        : machine.SentPlannedStop ? 1 : 0;

    /// <summary>A third of the staleness limit (so one lost beat is no gap), at most 10 s, at least 100 ms.</summary>
    private static TimeSpan Heartbeat(MachineModel machine) =>
        TimeSpan.FromTicks(Math.Clamp((machine.Definition.StaleAfter / 3).Ticks, TimeSpan.TicksPerMillisecond * 100, TimeSpan.TicksPerSecond * 10));

    private void Emit(int? handle, double value)
    {
        if (handle is { } h)
        {
            _output.Add(new Signal(h, value, _now, SignalQuality.Good, SourceTimestamped: true));
        }
    }

    // Safe to yield from the live list: the model only adds to it after the caller asks for the next signal.
    private IEnumerable<Signal> Drain()
    {
        for (var i = 0; i < _output.Count; i++)
        {
            yield return _output[i];
        }

        _output.Clear();
    }

    private void Schedule(DateTimeOffset when, Event e) => _queue.Enqueue(e, (when.UtcTicks, _sequence++));

    private enum EventKind
    {
        CycleEnd,
        RepairEnd,
        Calendar,
        Sample,
        Heartbeat,
        Debounce,
    }

    private readonly record struct Event(EventKind Kind, int Machine, int Generation);
}
