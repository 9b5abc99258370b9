using EdgeOps.Core.Model;

namespace EdgeOps.Core.Engine.Checkpoints;

/// <summary>One machine's inputs, state, lifetime counts, totalizer baselines and stops.</summary>
public sealed record MachineCheckpoint
{
    public required string MachineId { get; init; }
    public StateCategory State { get; init; }
    public required string ReasonCode { get; init; }
    public DateTimeOffset StateSince { get; init; }

    // Last known input values, so a restart does not forget that the machine was, say, faulted.
    public bool Running { get; init; }
    public long FaultCode { get; init; }
    public long? StateCode { get; init; }
    public bool Starved { get; init; }
    public bool Blocked { get; init; }
    public bool PlannedStopInput { get; init; }
    public bool Changeover { get; init; }
    public bool PlannedStopCommand { get; init; }
    /// <summary>A status word's fault bit.</summary>
    public bool StatusWordFault { get; init; }
    /// <summary>The last unit mode received; null when the machine has none.</summary>
    public long? UnitMode { get; init; }
    /// <summary>The PLC's stop reason (0: none) and whether the machine has run since it was set.</summary>
    public long StopReason { get; init; }
    public bool StopReasonConsumed { get; init; }
    /// <summary>Unmapped codes already reported, so a restart does not report them again.</summary>
    public IReadOnlyList<ReportedCodeCheckpoint> ReportedCodes { get; init; } = [];
    public DateTimeOffset? LastCountAt { get; init; }

    public long LifetimeTotal { get; init; }
    public long LifetimeGood { get; init; }
    public long LifetimeReject { get; init; }
    public long LifetimeRework { get; init; }

    public IReadOnlyList<CounterCheckpoint> Counters { get; init; } = [];
    /// <summary>The stop in progress, if any.</summary>
    public StopCheckpoint? OpenStop { get; init; }
    /// <summary>Ended stops still inside retained shifts (reasons can be assigned to them).</summary>
    public IReadOnlyList<StopCheckpoint> RecentStops { get; init; } = [];
    /// <summary>The active product; null for none.</summary>
    public string? Product { get; init; }
    /// <summary>Product changes inside the retained horizon, oldest first.</summary>
    public IReadOnlyList<ProductSpanCheckpoint> ProductHistory { get; init; } = [];
    /// <summary>Index in <see cref="EngineCheckpoint.Orders"/> of the running or paused order; null for none.</summary>
    public int? Order { get; init; }
    /// <summary>Indexes of completed orders kept for late data, oldest first.</summary>
    public IReadOnlyList<int> RecentOrders { get; init; } = [];
    public DateTimeOffset? LastOrderEnd { get; init; }
}

/// <summary>A code of a signal already reported as unmapped.</summary>
public sealed record ReportedCodeCheckpoint(string SignalName, long Code);

/// <summary>A totalizer's baseline: the last raw value taken, so a restart neither loses nor double counts.</summary>
public sealed record CounterCheckpoint(string SignalName, bool HasBaseline, long LastRaw, DateTimeOffset LastTimestamp);

/// <summary>A stop and where its time went (one portion per period it touched).</summary>
public sealed record StopCheckpoint
{
    public required long Id { get; init; }
    public required DateTimeOffset Start { get; init; }
    public DateTimeOffset? End { get; init; }
    public required string ReasonCode { get; init; }
    public IReadOnlyList<StopPortionCheckpoint> Portions { get; init; } = [];
    /// <summary>True when someone assigned the reason.</summary>
    public bool Assigned { get; init; }
    /// <summary>True once the stop outlasted the micro-stop threshold.</summary>
    public bool PastThreshold { get; init; }
    /// <summary>Ticks of the open stop in the current period not yet booked into a portion.</summary>
    public long OpenTicks { get; init; }
    /// <summary>Ticks of the open stop inside the running order not yet booked into it.</summary>
    public long OrderOpenTicks { get; init; }
}

/// <summary>Part of a stop booked into one period.</summary>
public sealed record StopPortionCheckpoint(DateTimeOffset PeriodStart, long Ticks, bool Micro);
