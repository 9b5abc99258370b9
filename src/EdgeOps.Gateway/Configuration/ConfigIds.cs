using System.Text.RegularExpressions;

namespace EdgeOps.Gateway.Configuration;

/// <summary>
/// Ids become MQTT topic levels (<c>edgeops/v1/{site}/{area}/{line}/{machine}/condition/{signal}</c>), so they
/// must not hold '/', '+', '#' or spaces; lowercase keeps topics predictable for subscribers.
/// </summary>
internal static partial class ConfigIds
{
    public const string Rule = "must match ^[a-z0-9][a-z0-9_-]*$ (lowercase letters, digits, '-' and '_'; it becomes an MQTT topic level)";

    public static bool IsValid(string id) => Pattern().IsMatch(id);

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
