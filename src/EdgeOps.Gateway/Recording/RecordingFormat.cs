using EdgeOps.Core.Signals;

namespace EdgeOps.Gateway.Recording;

/// <summary>Property names of a recording line: <c>{"ts":"…Z","machine":"press","signal":"parts","value":1}</c>.</summary>
internal static class RecordingFormat
{
    public const string Timestamp = "ts";
    public const string Machine = "machine";
    public const string Signal = "signal";
    public const string Value = "value";
    public const string Quality = "quality";
    public const string SourceTimestamped = "sourceTs";
    /// <summary>A text value (an order id or product id from a string node); <c>value</c> is then 0.</summary>
    public const string Text = "text";
    /// <summary>
    /// An order or product change no signal made (an MQTT command, the live view):
    /// <c>{"ts":"…Z","command":"startOrder","scope":"press","orderId":"WO-1","product":"a","quantity":500,"due":"…Z","who":"mqtt:anna"}</c>.
    /// Commands: startOrder, pauseOrder, resumeOrder, completeOrder, setProduct.
    /// </summary>
    public const string Command = "command";
    public const string Scope = "scope";
    public const string OrderId = "orderId";
    public const string Product = "product";
    public const string Quantity = "quantity";
    public const string Due = "due";
    public const string Who = "who";
    public const string Header = "recording";
    public const string Line = "line";
    public const string Start = "start";
    public const int Version = 1;

    public static string QualityName(SignalQuality quality) => quality switch
    {
        SignalQuality.Good => "good",
        SignalQuality.Uncertain => "uncertain",
        _ => "bad",
    };

    public static bool TryParseQuality(string? text, out SignalQuality quality)
    {
        switch (text)
        {
            case null or "good":
                quality = SignalQuality.Good;
                return true;
            case "uncertain":
                quality = SignalQuality.Uncertain;
                return true;
            case "bad":
                quality = SignalQuality.Bad;
                return true;
            default:
                quality = SignalQuality.Bad;
                return false;
        }
    }

    /// <summary>How a value JSON cannot carry as a number is written: "NaN", "Infinity" or "-Infinity".</summary>
    public static string NonFiniteName(double value) =>
        double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity";

    /// <summary>Reads a value written by <see cref="NonFiniteName"/>.</summary>
    public static bool TryParseNonFinite(System.Text.Json.JsonElement element, out double value)
    {
        value = element.ValueKind != System.Text.Json.JsonValueKind.String ? 0 : element.GetString() switch
        {
            "NaN" => double.NaN,
            "Infinity" => double.PositiveInfinity,
            "-Infinity" => double.NegativeInfinity,
            _ => 0,
        };
        return !double.IsFinite(value);
    }
}
