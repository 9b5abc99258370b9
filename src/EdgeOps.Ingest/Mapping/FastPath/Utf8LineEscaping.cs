using System.Buffers;

namespace EdgeOps.Ingest;

/// <summary><see cref="LineProtocol"/>'s escaping rules on UTF-8 (every special character is ASCII).</summary>
internal static class Utf8LineEscaping
{
    public static readonly SearchValues<byte> MeasurementSpecial = SearchValues.Create(", \n\r"u8);
    public static readonly SearchValues<byte> KeySpecial = SearchValues.Create(",= \n\r\\"u8);
    public static readonly SearchValues<byte> FieldStringSpecial = SearchValues.Create("\"\\\n\r"u8);

    public enum Rule
    {
        Measurement,
        Key,
        FieldString,
    }

    public static void AppendMeasurement(Utf8LineBuffer target, ReadOnlySpan<byte> value) =>
        Append(target, value, MeasurementSpecial, Rule.Measurement);

    public static void AppendKey(Utf8LineBuffer target, ReadOnlySpan<byte> value) =>
        Append(target, value, KeySpecial, Rule.Key);

    /// <summary>A string field value between its quotes.</summary>
    public static void AppendFieldString(Utf8LineBuffer target, ReadOnlySpan<byte> value)
    {
        target.Append((byte)'"');
        Append(target, value, FieldStringSpecial, Rule.FieldString);
        target.Append((byte)'"');
    }

    /// <summary><c>,name=</c> (no comma before the first field).</summary>
    public static void AppendFieldKey(Utf8LineBuffer fields, Utf8LineBuffer name)
    {
        if (fields.Length > 0)
        {
            fields.Append((byte)',');
        }

        AppendKey(fields, name.Span);
        fields.Append((byte)'=');
    }

    private static void Append(Utf8LineBuffer target, ReadOnlySpan<byte> value, SearchValues<byte> special, Rule rule)
    {
        if (!value.ContainsAny(special))
        {
            target.Append(value);
            return;
        }

        foreach (var b in value)
        {
            switch (b)
            {
                case (byte)'\n' or (byte)'\r':
                    target.Append(rule == Rule.Key ? "\\ "u8 : " "u8);
                    break;
                case (byte)',' or (byte)' ' when rule != Rule.FieldString:
                case (byte)'=' when rule == Rule.Key:
                case (byte)'"' or (byte)'\\' when rule == Rule.FieldString:
                    target.Append((byte)'\\');
                    target.Append(b);
                    break;
                default:
                    target.Append(b);
                    break;
            }
        }

        if (rule == Rule.Key && value[^1] == (byte)'\\')
        {
            target.Append((byte)' ');
        }
    }
}
