using System.Globalization;
using System.Text;

namespace EdgeOps.Ingest;

/// <summary>The type of a line-protocol field value.</summary>
public enum InfluxFieldKind
{
    Float,
    Integer,
    Boolean,
    String,
}

/// <summary>
/// A line-protocol field value. The contract mapping writes every JSON number as a float, so a field
/// never changes type between points (InfluxDB rejects a field written once as integer and once as float).
/// </summary>
public readonly record struct InfluxFieldValue(InfluxFieldKind Kind, double Number, long Integer, bool Boolean, string? Text)
{
    public static InfluxFieldValue FromDouble(double value) => new(InfluxFieldKind.Float, value, 0, false, null);

    public static InfluxFieldValue FromInteger(long value) => new(InfluxFieldKind.Integer, 0, value, false, null);

    public static InfluxFieldValue FromBoolean(bool value) => new(InfluxFieldKind.Boolean, 0, 0, value, null);

    public static InfluxFieldValue FromString(string value) => new(InfluxFieldKind.String, 0, 0, false, value);

    /// <summary>Appends the value in line-protocol syntax (floats round-trip exactly with "R").</summary>
    public void AppendTo(StringBuilder builder)
    {
        switch (Kind)
        {
            case InfluxFieldKind.Float:
                // Formatted in place: one of these per field of every point, so no string per value.
                Span<char> digits = stackalloc char[32];
                if (Number.TryFormat(digits, out var written, "R", CultureInfo.InvariantCulture))
                {
                    builder.Append(digits[..written]);
                }
                else
                {
                    builder.Append(Number.ToString("R", CultureInfo.InvariantCulture));
                }

                break;
            case InfluxFieldKind.Integer:
                builder.Append(Integer.ToString(CultureInfo.InvariantCulture)).Append('i');
                break;
            case InfluxFieldKind.Boolean:
                builder.Append(Boolean ? "true" : "false");
                break;
            default:
                builder.Append('"');
                LineProtocol.AppendFieldString(builder, Text ?? string.Empty);
                builder.Append('"');
                break;
        }
    }
}
