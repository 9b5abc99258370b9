namespace EdgeOps.Core.Model;

/// <summary>
/// A production line as configured in <c>firmware-config/lines/*.yaml</c>: where it is (ISA-95 site/area/line),
/// its shift calendar, its machines and how their signals are sourced. Immutable once loaded and validated.
/// </summary>
public sealed record LineDefinition
{
    public required string Site { get; init; }
    public required string Area { get; init; }
    /// <summary>Line id, used in topics (<c>edgeops/v1/{site}/{area}/{line}/...</c>).</summary>
    public required string Line { get; init; }
    public string? Name { get; init; }
    /// <summary>IANA time zone of the plant (e.g. Europe/Berlin); shifts are local times in it.</summary>
    public required string TimeZone { get; init; }
    public required IReadOnlyList<ShiftDefinition> Shifts { get; init; }
    public required IReadOnlyList<MachineDefinition> Machines { get; init; }
    /// <summary>Line-wide reason codes; a machine may add its own.</summary>
    public IReadOnlyList<ReasonCode> Reasons { get; init; } = [];
    /// <summary>Products the line makes; an active product sets its machines' ideal cycle time (see <see cref="ProductDefinition"/>).</summary>
    public IReadOnlyList<ProductDefinition> Products { get; init; } = [];
    /// <summary>The machine whose good count is the line's output; the last machine when not set.</summary>
    public string? OutputMachine { get; init; }
    /// <summary>Settings per source kind (simulator, GPIO, OPC UA, sensors).</summary>
    public SourcesDefinition Sources { get; init; } = new();
    /// <summary>The file this definition was loaded from, for messages.</summary>
    public string? SourceFile { get; init; }

    public MachineDefinition OutputMachineDefinition =>
        OutputMachine is null ? Machines[^1] : Machines.First(m => m.Id == OutputMachine);
}
