using System.Buffers;
using System.Text;

namespace EdgeOps.Ingest;

/// <summary>
/// Escaping rules of InfluxDB line protocol: measurement (comma, space), tag keys, tag values and field keys
/// (comma, equals sign, space), string field values (double quote, backslash). Newlines cannot be escaped in
/// any of them, so they are replaced by a space: one point must stay one line.
/// </summary>
public static class LineProtocol
{
    private static readonly SearchValues<char> MeasurementSpecial = SearchValues.Create(", \n\r");
    private static readonly SearchValues<char> KeySpecial = SearchValues.Create(",= \n\r\\");
    private static readonly SearchValues<char> FieldStringSpecial = SearchValues.Create("\"\\\n\r");

    public static void AppendMeasurement(StringBuilder builder, string value) =>
        AppendEscaped(builder, value, MeasurementSpecial, ", ", " ");

    /// <summary>Tag keys, tag values and field keys share one rule.</summary>
    public static void AppendKey(StringBuilder builder, string value)
    {
        AppendEscaped(builder, value, KeySpecial, ",= ", "\\ ");

        // A trailing backslash would escape the separator that follows it.
        if (value.Length > 0 && value[^1] == '\\')
        {
            builder.Append(' ');
        }
    }

    public static void AppendFieldString(StringBuilder builder, string value) =>
        AppendEscaped(builder, value, FieldStringSpecial, "\"\\", " ");

    /// <summary>
    /// Appends <paramref name="value"/> with a backslash before each character of <paramref name="escaped"/> and
    /// <paramref name="newline"/> for each CR or LF; unchanged when it holds nothing of <paramref name="special"/>.
    /// </summary>
    private static void AppendEscaped(StringBuilder builder, string value, SearchValues<char> special, string escaped, string newline)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(value);
        if (!value.AsSpan().ContainsAny(special))
        {
            // The common case (plain names and ids): nothing to escape.
            builder.Append(value);
            return;
        }

        foreach (var c in value)
        {
            if (c is '\n' or '\r')
            {
                builder.Append(newline);
                continue;
            }

            if (escaped.Contains(c, StringComparison.Ordinal))
            {
                builder.Append('\\');
            }

            builder.Append(c);
        }
    }
}
