using System.Globalization;
using System.Text;

namespace EdgeOps.Ingest;

/// <summary>
/// One InfluxDB point. Tags are kept sorted by key (InfluxDB's own order, and what makes two mappings of
/// the same message produce byte-identical lines). The timestamp is in nanoseconds since the Unix epoch.
/// </summary>
public sealed record InfluxPoint(
    string Measurement,
    IReadOnlyList<KeyValuePair<string, string>> Tags,
    IReadOnlyList<KeyValuePair<string, InfluxFieldValue>> Fields,
    long TimestampNs)
{
    public string ToLineProtocol()
    {
        var builder = new StringBuilder(64 + (Fields.Count * 16));
        AppendTo(builder);
        return builder.ToString();
    }

    /// <summary>Appends the point as one line (no trailing newline). A point needs at least one field.</summary>
    public void AppendTo(StringBuilder builder)
    {
        if (Fields.Count == 0)
        {
            throw new InvalidOperationException($"Point '{Measurement}' has no fields; line protocol needs at least one.");
        }

        LineProtocol.AppendMeasurement(builder, Measurement);
        foreach (var (key, value) in Tags)
        {
            // InfluxDB rejects empty tag values; an absent tag is the same series as an empty one.
            if (value.Length == 0)
            {
                continue;
            }

            builder.Append(',');
            LineProtocol.AppendKey(builder, key);
            builder.Append('=');
            LineProtocol.AppendKey(builder, value);
        }

        builder.Append(' ');
        for (var i = 0; i < Fields.Count; i++)
        {
            if (i > 0)
            {
                builder.Append(',');
            }

            LineProtocol.AppendKey(builder, Fields[i].Key);
            builder.Append('=');
            Fields[i].Value.AppendTo(builder);
        }

        builder.Append(' ').Append(TimestampNs.ToString(CultureInfo.InvariantCulture));
    }
}
