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
        ["statusWord"] = SignalRole.StatusWord,
        ["unitMode"] = SignalRole.UnitMode,
        ["stopReason"] = SignalRole.StopReason,
        ["order"] = SignalRole.Order,
        ["product"] = SignalRole.Product,
    };

    /// <summary>The boolean inputs a status word's bits can carry.</summary>
    public static IReadOnlyDictionary<string, SignalRole> BitRoles { get; } = new Dictionary<string, SignalRole>(StringComparer.Ordinal)
    {
        ["running"] = SignalRole.Running,
        ["fault"] = SignalRole.Fault,
        ["starved"] = SignalRole.Starved,
        ["blocked"] = SignalRole.Blocked,
        ["changeover"] = SignalRole.Changeover,
        ["plannedStop"] = SignalRole.PlannedStop,
    };

    public static IReadOnlyDictionary<string, StateModel> StateModels { get; } = new Dictionary<string, StateModel>(StringComparer.Ordinal)
    {
        ["custom"] = StateModel.Custom,
        ["packml"] = StateModel.PackMl,
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

    /// <summary>Roles whose value is an integer code rather than a level or a count.</summary>
    public static bool IsInteger(SignalRole role) =>
        role is SignalRole.StateCode or SignalRole.StatusWord or SignalRole.UnitMode or SignalRole.StopReason;

    public static bool IsCount(SignalRole role) => role is SignalRole.Total or SignalRole.Good or SignalRole.Reject or SignalRole.Rework;

    public static string NameOf(SignalRole role) => Roles.First(r => r.Value == role).Key;
}
