using EdgeOps.Core.Model;
using EdgeOps.Core.Signals;

namespace EdgeOps.Gateway.Configuration.Parsing;

/// <summary>The names the YAML uses for enums (camelCase, as in the JSON Schema).</summary>
internal static class ConfigNames
{
    public static IReadOnlyDictionary<string, SignalRole> Roles { get; } = new Dictionary<string, SignalRole>(StringComparer.Ordinal)
    {
        ["total"] = SignalRole.Total,
        ["good"] = SignalRole.Good,
        ["reject"] = SignalRole.Reject,
        ["rework"] = SignalRole.Rework,
        ["running"] = SignalRole.Running,
        ["fault"] = SignalRole.Fault,
        ["stateCode"] = SignalRole.StateCode,
        ["starved"] = SignalRole.Starved,
        ["blocked"] = SignalRole.Blocked,
        ["plannedStop"] = SignalRole.PlannedStop,
        ["changeover"] = SignalRole.Changeover,
        ["analog"] = SignalRole.Analog,
        ["reasonButton"] = SignalRole.ReasonSelect,
    };

    public static IReadOnlyDictionary<string, CountMode> CountModes { get; } = new Dictionary<string, CountMode>(StringComparer.Ordinal)
    {
        ["pulse"] = CountMode.Pulse,
        ["totalizer"] = CountMode.Totalizer,
    };

    /// <summary>Reasons explain a stop, so Running and Offline (no data) are not reason categories.</summary>
    public static IReadOnlyDictionary<string, StateCategory> ReasonCategories { get; } = new Dictionary<string, StateCategory>(StringComparer.Ordinal)
    {
        ["down"] = StateCategory.Down,
        ["changeover"] = StateCategory.Changeover,
        ["idle"] = StateCategory.Idle,
        ["plannedStop"] = StateCategory.PlannedStop,
    };

    public static IReadOnlyDictionary<string, DayOfWeek> Days { get; } = new Dictionary<string, DayOfWeek>(StringComparer.OrdinalIgnoreCase)
    {
        ["mon"] = DayOfWeek.Monday,
        ["tue"] = DayOfWeek.Tuesday,
        ["wed"] = DayOfWeek.Wednesday,
        ["thu"] = DayOfWeek.Thursday,
        ["fri"] = DayOfWeek.Friday,
        ["sat"] = DayOfWeek.Saturday,
        ["sun"] = DayOfWeek.Sunday,
    };

    public static bool IsCount(SignalRole role) => role is SignalRole.Total or SignalRole.Good or SignalRole.Reject or SignalRole.Rework;

    public static string NameOf(SignalRole role) => Roles.First(r => r.Value == role).Key;
}
