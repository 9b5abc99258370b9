using EdgeOps.Core.Model;

namespace EdgeOps.Core.Condition.Maintenance;

/// <summary>
/// Usage of one machine (run hours, cycles, starts) and, per configured maintenance item, usage since its last
/// reset against its intervals. Counters only grow; the one way to restart an item is <see cref="Reset"/>,
/// which the host calls for the MQTT <c>cmd/reset-maintenance</c> command and <c>edgeops maintenance reset</c>.
/// </summary>
public sealed class MaintenanceCounters
{
    private readonly Item[] _items;
    private readonly List<MaintenanceEvent> _events = [];
    private double _runSeconds;
    private long _cycles;
    private long _starts;
    private bool _running;
    private DateTimeOffset? _lastObserved;

    public MaintenanceCounters(string machine, IReadOnlyList<MaintenanceDefinition> items, MaintenanceState? restored = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(machine);
        ArgumentNullException.ThrowIfNull(items);
        Machine = machine;
        if (restored is not null)
        {
            if (restored.Machine != machine)
            {
                throw new ArgumentException($"Maintenance checkpoint is for machine '{restored.Machine}', not '{machine}'.", nameof(restored));
            }

            _runSeconds = Math.Max(0, restored.RunSeconds);
            _cycles = Math.Max(0, restored.Cycles);
            _starts = Math.Max(0, restored.Starts);
            _running = restored.Running;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        _items = new Item[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            var definition = items[i];
            Validate(definition, i, seen);
            var saved = restored?.Items.FirstOrDefault(s => s.Item == definition.Item);
            // An item new in the config starts counting now rather than showing the machine's whole life as overdue.
            _items[i] = saved is null
                ? new Item(definition) { RunSecondsAtReset = _runSeconds, CyclesAtReset = _cycles, StartsAtReset = _starts }
                : new Item(definition)
                {
                    RunSecondsAtReset = saved.RunSecondsAtReset,
                    CyclesAtReset = saved.CyclesAtReset,
                    StartsAtReset = saved.StartsAtReset,
                    LastResetAt = saved.LastResetAt,
                    LastResetBy = saved.LastResetBy,
                    Level = saved.Level,
                };
        }
    }

    public string Machine { get; }

    /// <summary>Lifetime run hours.</summary>
    public double RunHours => _runSeconds / 3600;

    /// <summary>Lifetime cycles.</summary>
    public long Cycles => _cycles;

    /// <summary>Lifetime starts (stopped → running).</summary>
    public long Starts => _starts;

    /// <summary>
    /// Feeds the machine's Running state at a time (on every state change, and periodically while running).
    /// Time between two observations while running is run time; a false→true change is a start.
    /// </summary>
    public void Observe(bool running, DateTimeOffset at)
    {
        if (_running && _lastObserved is { } last && at > last)
        {
            _runSeconds += (at - last).TotalSeconds;
        }

        if (running && !_running)
        {
            _starts++;
        }

        _running = running;
        if (_lastObserved is null || at > _lastObserved)
        {
            _lastObserved = at;
        }

        CheckLevels(at);
    }

    /// <summary>Adds machine cycles (e.g. the increment of the machine's total count).</summary>
    public void AddCycles(long cycles, DateTimeOffset at)
    {
        if (cycles <= 0)
        {
            return;
        }

        _cycles += cycles;
        CheckLevels(at);
    }

    /// <summary>The usage and level of every item.</summary>
    public IReadOnlyList<MaintenanceStatus> Status() => [.. _items.Select(StatusOf)];

    /// <summary>The usage and level of one item; throws naming the known items when it does not exist.</summary>
    public MaintenanceStatus Status(string item) => StatusOf(Find(item));

    /// <summary>
    /// Records maintenance of <paramref name="item"/> done by <paramref name="by"/> at <paramref name="at"/>: the
    /// item's usage restarts from zero. Returns the event to publish (it carries the usage at the reset).
    /// </summary>
    public MaintenanceEvent Reset(string item, string by, DateTimeOffset at)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(by);
        var entry = Find(item);
        var result = new MaintenanceEvent
        {
            Machine = Machine,
            Item = entry.Definition.Item,
            Kind = MaintenanceEventKind.Reset,
            At = at,
            By = by,
            RunHours = (_runSeconds - entry.RunSecondsAtReset) / 3600,
            Cycles = _cycles - entry.CyclesAtReset,
            Starts = _starts - entry.StartsAtReset,
        };
        entry.RunSecondsAtReset = _runSeconds;
        entry.CyclesAtReset = _cycles;
        entry.StartsAtReset = _starts;
        entry.LastResetAt = at;
        entry.LastResetBy = by;
        entry.Level = MaintenanceLevel.Ok;
        return result;
    }

    /// <summary>Due and overdue events since the last call, oldest first.</summary>
    public IReadOnlyList<MaintenanceEvent> TakeEvents()
    {
        if (_events.Count == 0)
        {
            return [];
        }

        MaintenanceEvent[] taken = [.. _events];
        _events.Clear();
        return taken;
    }

    /// <summary>The state to checkpoint, with run time counted up to <paramref name="at"/>.</summary>
    public MaintenanceState Checkpoint(DateTimeOffset at)
    {
        Observe(_running, at);
        return Snapshot();
    }

    private MaintenanceState Snapshot() => new()
    {
        Machine = Machine,
        RunSeconds = _runSeconds,
        Cycles = _cycles,
        Starts = _starts,
        Running = _running,
        Items = [.. _items.Select(i => new MaintenanceItemState
        {
            Item = i.Definition.Item,
            RunSecondsAtReset = i.RunSecondsAtReset,
            CyclesAtReset = i.CyclesAtReset,
            StartsAtReset = i.StartsAtReset,
            LastResetAt = i.LastResetAt,
            LastResetBy = i.LastResetBy,
            Level = i.Level,
        })],
    };

    private Item Find(string item) =>
        _items.FirstOrDefault(i => i.Definition.Item == item)
        ?? throw new ArgumentException(
            $"Machine '{Machine}' has no maintenance item '{item}'; configured: {(_items.Length == 0 ? "none" : string.Join(", ", _items.Select(i => i.Definition.Item)))}.",
            nameof(item));

    private void CheckLevels(DateTimeOffset at)
    {
        foreach (var item in _items)
        {
            var progress = Progress(item);
            var level = progress >= 1 + item.Definition.Grace ? MaintenanceLevel.Overdue
                : progress >= 1 ? MaintenanceLevel.Due
                : MaintenanceLevel.Ok;
            if (level <= item.Level)
            {
                continue;
            }

            item.Level = level;
            _events.Add(new MaintenanceEvent
            {
                Machine = Machine,
                Item = item.Definition.Item,
                Kind = level == MaintenanceLevel.Overdue ? MaintenanceEventKind.Overdue : MaintenanceEventKind.Due,
                At = at,
                RunHours = (_runSeconds - item.RunSecondsAtReset) / 3600,
                Cycles = _cycles - item.CyclesAtReset,
                Starts = _starts - item.StartsAtReset,
            });
        }
    }

    private double Progress(Item item)
    {
        var d = item.Definition;
        var progress = 0.0;
        if (d.EveryHours is { } hours)
        {
            progress = Math.Max(progress, (_runSeconds - item.RunSecondsAtReset) / 3600 / hours);
        }

        if (d.EveryCycles is { } cycles)
        {
            progress = Math.Max(progress, (double)(_cycles - item.CyclesAtReset) / cycles);
        }

        if (d.EveryStarts is { } starts)
        {
            progress = Math.Max(progress, (double)(_starts - item.StartsAtReset) / starts);
        }

        return progress;
    }

    private MaintenanceStatus StatusOf(Item item)
    {
        var progress = Progress(item);
        return new MaintenanceStatus
        {
            Machine = Machine,
            Item = item.Definition.Item,
            RunHours = (_runSeconds - item.RunSecondsAtReset) / 3600,
            Cycles = _cycles - item.CyclesAtReset,
            Starts = _starts - item.StartsAtReset,
            Progress = progress,
            Level = progress >= 1 + item.Definition.Grace ? MaintenanceLevel.Overdue
                : progress >= 1 ? MaintenanceLevel.Due
                : MaintenanceLevel.Ok,
            LastResetAt = item.LastResetAt,
            LastResetBy = item.LastResetBy,
        };
    }

    private static void Validate(MaintenanceDefinition definition, int index, HashSet<string> seen)
    {
        var path = $"maintenance[{index}]";
        if (string.IsNullOrWhiteSpace(definition.Item))
        {
            throw new ArgumentException($"{path}.item must not be empty.", nameof(definition));
        }

        if (!seen.Add(definition.Item))
        {
            throw new ArgumentException($"{path}.item '{definition.Item}' is used twice.", nameof(definition));
        }

        if (definition.EveryHours is null && definition.EveryCycles is null && definition.EveryStarts is null)
        {
            throw new ArgumentException($"{path} '{definition.Item}' needs at least one of everyHours, everyCycles, everyStarts.", nameof(definition));
        }

        if (definition.EveryHours is <= 0 || definition.EveryCycles is <= 0 || definition.EveryStarts is <= 0)
        {
            throw new ArgumentException($"{path} '{definition.Item}': intervals must be positive.", nameof(definition));
        }

        if (!(definition.Grace >= 0))
        {
            throw new ArgumentException($"{path} '{definition.Item}': grace must be 0 or more (a fraction of the interval).", nameof(definition));
        }
    }

    private sealed class Item(MaintenanceDefinition definition)
    {
        public MaintenanceDefinition Definition { get; } = definition;
        public double RunSecondsAtReset { get; set; }
        public long CyclesAtReset { get; set; }
        public long StartsAtReset { get; set; }
        public DateTimeOffset? LastResetAt { get; set; }
        public string? LastResetBy { get; set; }
        public MaintenanceLevel Level { get; set; }
    }
}
