using System.Buffers;
using System.Text;

namespace EdgeOps.Publishing.Influx;

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

    public static void AppendMeasurement(StringBuilder builder, string value)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(value);
        if (!value.AsSpan().ContainsAny(MeasurementSpecial))
        {
            builder.Append(value);
            return;
        }

        foreach (var c in value)
        {
            switch (c)
            {
                case ',':
                case ' ':
                    builder.Append('\\').Append(c);
                    break;
                case '\n':
                case '\r':
                    builder.Append(' ');
                    break;
                default:
                    builder.Append(c);
                    break;
            }
        }
    }

    /// <summary>Tag keys, tag values and field keys share one rule.</summary>
    public static void AppendKey(StringBuilder builder, string value)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(value);
        if (!value.AsSpan().ContainsAny(KeySpecial))
        {
            // The common case (plain names and ids): nothing to escape.
            builder.Append(value);
            return;
        }

        foreach (var c in value)
        {
            switch (c)
            {
                case ',':
                case '=':
                case ' ':
                    builder.Append('\\').Append(c);
                    break;
                case '\n':
                case '\r':
                    builder.Append("\\ ");
                    break;
                default:
                    builder.Append(c);
                    break;
            }
        }

        // A trailing backslash would escape the separator that follows it.
        if (value.Length > 0 && value[^1] == '\\')
        {
            builder.Append(' ');
        }
    }

    public static void AppendFieldString(StringBuilder builder, string value)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(value);
        if (!value.AsSpan().ContainsAny(FieldStringSpecial))
        {
            builder.Append(value);
            return;
        }

        foreach (var c in value)
        {
            switch (c)
            {
                case '"':
                case '\\':
                    builder.Append('\\').Append(c);
                    break;
                case '\n':
                case '\r':
                    builder.Append(' ');
                    break;
                default:
                    builder.Append(c);
                    break;
            }
        }
    }
}
