using System.Text.Json;

namespace EdgeOps.TestSupport.Influx;

/// <summary>One series of an InfluxQL answer: its name, tags, columns and rows (values as JSON elements).</summary>
public sealed record InfluxSeries(
    string Name,
    IReadOnlyDictionary<string, string> Tags,
    IReadOnlyList<string> Columns,
    IReadOnlyList<IReadOnlyList<JsonElement>> Rows)
{
    public static InfluxSeries Parse(JsonElement series)
    {
        var name = series.TryGetProperty("name", out var n) ? n.GetString() ?? string.Empty : string.Empty;
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        if (series.TryGetProperty("tags", out var t))
        {
            foreach (var tag in t.EnumerateObject())
            {
                tags[tag.Name] = tag.Value.GetString() ?? string.Empty;
            }
        }

        var columns = series.GetProperty("columns").EnumerateArray().Select(c => c.GetString() ?? string.Empty).ToList();
        var rows = new List<IReadOnlyList<JsonElement>>();
        if (series.TryGetProperty("values", out var values))
        {
            foreach (var row in values.EnumerateArray())
            {
                rows.Add(row.EnumerateArray().Select(v => v.Clone()).ToList());
            }
        }

        return new InfluxSeries(name, tags, columns, rows);
    }

    /// <summary>The value of <paramref name="column"/> in row <paramref name="row"/>.</summary>
    public JsonElement Value(int row, string column)
    {
        var index = Columns.ToList().IndexOf(column);
        if (index < 0)
        {
            throw new KeyNotFoundException($"No column '{column}' in series '{Name}' (columns: {string.Join(", ", Columns)}).");
        }

        return Rows[row][index];
    }
}
