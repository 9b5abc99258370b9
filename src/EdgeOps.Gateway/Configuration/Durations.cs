using System.Globalization;
using System.Text.RegularExpressions;

namespace EdgeOps.Gateway.Configuration;

/// <summary>
/// Durations as plant engineers write them: <c>5ms</c>, <c>2.5s</c>, <c>120s</c>, <c>15m</c>, <c>8h</c>,
/// and combinations such as <c>1h30m</c>. A bare number is refused: "2" could be seconds or minutes.
/// </summary>
internal static partial class Durations
{
    public const string Expected = "a number with a unit: ms, s, m or h (e.g. 2.5s, 15m, 8h)";

    public static bool TryParse(string text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        var trimmed = text.Trim();
        if (trimmed.Length == 0)
        {
            return false;
        }

        var matches = Part().Matches(trimmed);
        if (matches.Count == 0 || matches.Sum(m => m.Length) != trimmed.Length)
        {
            return false;
        }

        var ticks = 0.0;
        foreach (Match match in matches)
        {
            var number = double.Parse(match.Groups["n"].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
            ticks += match.Groups["u"].Value switch
            {
                "ms" => number * TimeSpan.TicksPerMillisecond,
                "s" => number * TimeSpan.TicksPerSecond,
                "m" => number * TimeSpan.TicksPerMinute,
                _ => number * TimeSpan.TicksPerHour,
            };
        }

        if (ticks > TimeSpan.MaxValue.Ticks)
        {
            return false;
        }

        value = TimeSpan.FromTicks((long)Math.Round(ticks));
        return true;
    }

    /// <summary>Formats the way the parser reads, for messages and the docs (<c>2.4s</c>, <c>15m</c>).</summary>
    public static string Format(TimeSpan value) =>
        value.Ticks % TimeSpan.TicksPerHour == 0 && value >= TimeSpan.FromHours(1) ? $"{value.TotalHours.ToString(CultureInfo.InvariantCulture)}h"
        : value.Ticks % TimeSpan.TicksPerMinute == 0 && value >= TimeSpan.FromMinutes(1) ? $"{value.TotalMinutes.ToString(CultureInfo.InvariantCulture)}m"
        : value < TimeSpan.FromSeconds(1) ? $"{value.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)}ms"
        : $"{value.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s";

    [GeneratedRegex(@"(?<n>[0-9]+(?:\.[0-9]+)?)(?<u>ms|s|m|h)", RegexOptions.CultureInvariant)]
    private static partial Regex Part();
}
