using System.ComponentModel.DataAnnotations;
using System.Diagnostics.CodeAnalysis;

namespace EdgeOps.Gateway.Hosting;

/// <summary>
/// The gateway's runtime settings: the <c>EdgeOps</c> section of the .NET configuration
/// (appsettings.json, <c>/etc/edgeops/appsettings.json</c>, environment <c>EdgeOps__Key</c>, or <c>--EdgeOps:Key=value</c>).
/// The plant model itself lives in the line YAML that <see cref="Line"/> points to. The attribute rules are checked
/// by the generated <see cref="GatewayOptionsValidator"/>; every key is known to <see cref="GatewaySettings.Schema"/>.
/// </summary>
public sealed class GatewayOptions
{
    public const string Section = "EdgeOps";

    /// <summary>Path of the line file; relative paths are taken from the working directory, then from the binary's folder.</summary>
    [Required]
    public string Line { get; set; } = "firmware-config/lines/demo-line.yaml";

    /// <summary>Where counters, the outbox and sequence numbers are kept (SQLite, WAL).</summary>
    [Required]
    public string DataDirectory { get; set; } = "data";

    /// <summary>Stable id of this gateway (MQTT client id, status topic). Defaults to the host name.</summary>
    public string? GatewayId { get; set; }

    /// <summary>How often engine state is checkpointed: a power cut loses at most this much of pulse counts.</summary>
    // IL2026: RangeAttribute(Type, …) converts its bounds with a TypeConverter, which trimming may break, when something
    // validates by reflection. Nothing does: GatewayOptionsValidator is generated ([OptionsValidator]) and carries its own
    // copy of the rule, so this attribute is read only by the generator at compile time.
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Validated by the generated GatewayOptionsValidator, never by reflection.")]
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often the engine advances time (stale detection, shift boundaries) when no signal arrives.</summary>
    // IL2026: RangeAttribute(Type, …) converts its bounds with a TypeConverter, which trimming may break, when something
    // validates by reflection. Nothing does: GatewayOptionsValidator is generated ([OptionsValidator]) and carries its own
    // copy of the rule, so this attribute is read only by the generator at compile time.
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Validated by the generated GatewayOptionsValidator, never by reflection.")]
    [Range(typeof(TimeSpan), "00:00:00.010", "00:00:05")]
    public TimeSpan TickInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Capacity of the channel from sources to the engine. Sources wait when it is full; nothing is dropped.</summary>
    [Range(1024, 4_194_304)]
    public int SignalQueueCapacity { get; set; } = 65_536;

    /// <summary>Records every signal the engine receives to this JSON-lines file (<c>--record</c>).</summary>
    public string? Record { get; set; }

    /// <summary>Interval of the compact console summary; zero turns it off.</summary>
    public TimeSpan ConsoleSummaryInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Overrides of the line file's simulator settings, for demos and tests.</summary>
    public SimulatorOverrides Simulator { get; set; } = new();

    /// <summary>The disk-space guard on <see cref="DataDirectory"/>.</summary>
    public Storage.StorageOptions Storage { get; set; } = new();

    /// <summary>Fault injection and other diagnostics.</summary>
    public DiagnosticsOptions Diagnostics { get; set; } = new();

    public string ResolveGatewayId() =>
        string.IsNullOrWhiteSpace(GatewayId) ? Environment.MachineName.ToLowerInvariant() : GatewayId;
}

/// <summary>Settings for checking the gateway itself on a device.</summary>
public sealed class DiagnosticsOptions
{
    /// <summary>
    /// Fault injection for checking the systemd watchdog: the engine loop blocks for good after this long,
    /// so the watchdog stops being fed and systemd restarts the service. Never set in production.
    /// </summary>
    public TimeSpan? WedgeEngineAfter { get; set; }
}

/// <summary>
/// Overrides of the line file's <c>sources.simulator</c> block, so a demo or a test can start the simulated line at a
/// chosen instant (e.g. just before a shift change) and run it faster, without editing the line file.
/// </summary>
public sealed class SimulatorOverrides
{
    /// <summary>Simulated start instant (ignored when a checkpoint is newer: the line resumes where it stopped).</summary>
    public DateTimeOffset? Start { get; set; }

    /// <summary>Simulated seconds per real second.</summary>
    public double? Speed { get; set; }

    /// <summary>Seed of the simulator's random generator.</summary>
    public int? Seed { get; set; }

    /// <summary>
    /// A line with simulated signals in production (under systemd, or <c>DOTNET_ENVIRONMENT=Production</c>) only when
    /// true: the shipped demo line must not pass for a plant's line by accident.
    /// </summary>
    public bool AllowInProduction { get; set; }
}
