namespace EdgeOps.Core.Model;

/// <summary>One PackML state: its PackTags number, its name and the reason code the preset maps it to.</summary>
/// <param name="Number">The value of PackTags <c>Status.StateCurrent</c>.</param>
/// <param name="Name">The state's name in ISA-TR88.00.02.</param>
/// <param name="ReasonCode">The reason the preset gives it (<c>running</c> for Execute).</param>
public sealed record PackMlState(int Number, string Name, string ReasonCode);

/// <summary>
/// The PackML preset (ISA-TR88.00.02, <c>stateModel: packml</c>): the 17 states by their PackTags
/// <c>StateCurrent</c> numbers and the reasons they map to. Execute is Running; Suspended and its transitions are Idle
/// <c>starved-or-blocked</c> (the line, not the machine, stopped it); Held and its transitions are Down <c>held</c>;
/// Stopped, Stopping, Aborted, Aborting and Clearing are Down with their own names; Idle, Starting, Resetting,
/// Completing and Complete are Idle <c>not-producing</c>. A machine's <c>stateCodes</c> entries override any of them.
/// </summary>
/// <remarks>
/// The OPC UA PackML and TMC companion specifications number the same states differently (StateEnumeration 0–16,
/// Stopped = 0); a PLC that exposes that enumeration needs its codes mapped in <c>stateCodes</c>, not this preset.
/// </remarks>
public static class PackMl
{
    /// <summary>Suspended, Suspending, Unsuspending: waiting for the line (Idle).</summary>
    public const string StarvedOrBlocked = "starved-or-blocked";
    /// <summary>Held, Holding, Unholding: an internal machine condition (Down).</summary>
    public const string Held = "held";
    /// <summary>Idle, Starting, Resetting, Completing, Complete: ready or preparing, not producing (Idle).</summary>
    public const string NotProducing = "not-producing";

    /// <summary>The 17 states in PackTags order.</summary>
    public static IReadOnlyList<PackMlState> States { get; } =
    [
        new(1, "Clearing", "clearing"),
        new(2, "Stopped", "stopped"),
        new(3, "Starting", NotProducing),
        new(4, "Idle", NotProducing),
        new(5, "Suspended", StarvedOrBlocked),
        new(6, "Execute", "running"),
        new(7, "Stopping", "stopping"),
        new(8, "Aborting", "aborting"),
        new(9, "Aborted", "aborted"),
        new(10, "Holding", Held),
        new(11, "Held", Held),
        new(12, "Unholding", Held),
        new(13, "Suspending", StarvedOrBlocked),
        new(14, "Unsuspending", StarvedOrBlocked),
        new(15, "Resetting", NotProducing),
        new(16, "Completing", NotProducing),
        new(17, "Complete", NotProducing),
    ];

    /// <summary>The reasons the preset adds to a machine (a line or machine reason with the same code relabels one).</summary>
    public static IReadOnlyList<ReasonCode> Reasons { get; } =
    [
        new() { Code = StarvedOrBlocked, Label = "Suspended (starved or blocked)", Category = StateCategory.Idle },
        new() { Code = Held, Label = "Held", Category = StateCategory.Down },
        new() { Code = "stopped", Label = "Stopped", Category = StateCategory.Down },
        new() { Code = "stopping", Label = "Stopping", Category = StateCategory.Down },
        new() { Code = "aborted", Label = "Aborted", Category = StateCategory.Down },
        new() { Code = "aborting", Label = "Aborting", Category = StateCategory.Down },
        new() { Code = "clearing", Label = "Clearing", Category = StateCategory.Down },
        new() { Code = NotProducing, Label = "Not producing (idle, starting, resetting, complete)", Category = StateCategory.Idle },
    ];
}
