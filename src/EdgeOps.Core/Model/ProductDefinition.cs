namespace EdgeOps.Core.Model;

/// <summary>
/// A product the line makes (<c>products:</c> in the line file). While a product is active on a machine, its ideal
/// cycle time replaces the machine's own for performance, theoretical output and capacity (ISO 22400: a period with
/// several products has P = Σ ideal_i × count_i / run time).
/// </summary>
public sealed record ProductDefinition
{
    /// <summary>Product id, used in order records and payloads (letters, digits, '-', '_', '.').</summary>
    public required string Id { get; init; }

    /// <summary>Display name.</summary>
    public string? Name { get; init; }

    /// <summary>
    /// The integer a PLC, a Modbus register or a GPIO code switch sends for this product (role <c>product</c>);
    /// null when the product is only chosen by id.
    /// </summary>
    public long? Code { get; init; }

    /// <summary>Ideal time of one machine cycle on every machine of the line, unless <see cref="MachineIdealCycleTimes"/> names the machine.</summary>
    public TimeSpan? IdealCycleTime { get; init; }

    /// <summary>Ideal cycle time per machine id, overriding <see cref="IdealCycleTime"/>.</summary>
    public IReadOnlyDictionary<string, TimeSpan> MachineIdealCycleTimes { get; init; } = new Dictionary<string, TimeSpan>();

    /// <summary>Target output per hour of planned production time while this product runs; the machine's own when null.</summary>
    public double? TargetPerHour { get; init; }

    /// <summary>Units one cycle makes (a multi-cavity tool makes several); the ideal time per unit is the cycle time divided by it.</summary>
    public int UnitsPerCycle { get; init; } = 1;

    /// <summary>
    /// The ideal time per unit on <paramref name="machine"/>: this product's cycle time for it (or line-wide) divided by
    /// <see cref="UnitsPerCycle"/>; the machine's own ideal cycle time when the product names none.
    /// </summary>
    public TimeSpan IdealTimePerUnit(MachineDefinition machine)
    {
        ArgumentNullException.ThrowIfNull(machine);
        var cycle = MachineIdealCycleTimes.TryGetValue(machine.Id, out var own) ? own : IdealCycleTime ?? machine.IdealCycleTime;
        return TimeSpan.FromTicks(Math.Max(1, cycle.Ticks / Math.Max(1, UnitsPerCycle)));
    }
}
