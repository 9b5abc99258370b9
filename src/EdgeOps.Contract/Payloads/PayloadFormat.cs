using System.Globalization;

namespace EdgeOps.Contract.Payloads;

/// <summary>
/// How values are written into payloads, in one place so every topic agrees: ratios and rates to 4 decimals, durations
/// in seconds to milliseconds, times as RFC 3339 UTC with milliseconds (also inside <c>details</c>), numbers in
/// <c>details</c> as invariant round-trip text, and no NaN or infinity anywhere (JSON has none).
/// </summary>
public static class PayloadFormat
{
    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    /// <summary>A ratio or rate to 4 decimals; a non-finite value (nothing to divide by yet) is 0.</summary>
    public static double Round(double value) => double.IsFinite(value) ? Math.Round(value, 4) : 0;

    /// <summary>A ratio or rate to 4 decimals; absent or non-finite is left out.</summary>
    public static double? Round(double? value) => value is { } v && double.IsFinite(v) ? Math.Round(v, 4) : null;

    /// <summary>A measured value as it is, or left out when it is not finite.</summary>
    public static double? Finite(double? value) => value is { } v && double.IsFinite(v) ? v : null;

    /// <summary>A measured value that must be present: 0 when it is not finite.</summary>
    public static double Required(double value) => double.IsFinite(value) ? value : 0;

    /// <summary>A duration in seconds, to milliseconds.</summary>
    public static double Seconds(TimeSpan duration) => Math.Round(duration.TotalSeconds, 3);

    /// <summary><c>2026-11-26T07:04:39.123Z</c>: the time format of every payload member and detail.</summary>
    public static string Time(DateTimeOffset value) => value.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    /// <summary>A number in <c>details</c> (a string map): invariant, shortest text that reads back as the same value.</summary>
    public static string Text(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A number inside a human-readable <c>message</c>: six significant digits.</summary>
    public static string Readable(double value) => value.ToString("G6", CultureInfo.InvariantCulture);

    /// <summary>A count in <c>details</c>.</summary>
    public static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
