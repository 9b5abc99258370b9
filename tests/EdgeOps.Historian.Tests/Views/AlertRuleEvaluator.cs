using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using EdgeOps.TestSupport.Influx;
using YamlDotNet.Serialization;

namespace EdgeOps.Historian.Tests.Views;

/// <summary>One provisioned alert rule: its uid, the refId of its condition and its data nodes in file order.</summary>
internal sealed record AlertRule(string Uid, string Title, string Condition, IReadOnlyList<AlertNode> Data);

/// <summary>A data node: a query (InfluxQL or PromQL) or a server-side expression (<c>__expr__</c>).</summary>
internal sealed record AlertNode(string RefId, string DatasourceUid, long FromS, long ToS, IReadOnlyDictionary<object, object> Model)
{
    public string Text(string key) => Model.TryGetValue(key, out var value) ? Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty
        : throw new KeyNotFoundException($"node {RefId} has no '{key}'");
}

/// <summary>A number with the labels of the series it came from (Grafana's reduced / math values).</summary>
internal sealed record LabelledValue(IReadOnlyDictionary<string, string> Labels, double Value)
{
    public string Key => string.Join(",", Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}"));
}

/// <summary>
/// Evaluates a Grafana alert rule the way Grafana's server-side expressions do, against the real stores: InfluxQL
/// with <c>$timeFilter</c> replaced by the node's relative time range at the evaluation time (absolute ms, as Grafana
/// sends it), PromQL as an instant query; then reduce (drop non-numbers), math (labels joined when one set contains the
/// other, comparisons give 1 or 0) and threshold. Returns the label sets for which the condition is non-zero.
/// </summary>
internal sealed class AlertRuleEvaluator(InfluxV1Server influx, string database, Uri prometheusUrl)
{
    public static IReadOnlyList<AlertRule> Load(string path)
    {
        var root = new DeserializerBuilder().Build().Deserialize<Dictionary<object, object>>(File.ReadAllText(path));
        var rules = new List<AlertRule>();
        foreach (Dictionary<object, object> group in (List<object>)root["groups"])
        {
            foreach (Dictionary<object, object> rule in (List<object>)group["rules"])
            {
                var nodes = new List<AlertNode>();
                foreach (Dictionary<object, object> node in (List<object>)rule["data"])
                {
                    var range = node.TryGetValue("relativeTimeRange", out var r) ? (Dictionary<object, object>)r : null;
                    nodes.Add(new AlertNode((string)node["refId"], (string)node["datasourceUid"],
                        range is null ? 0 : long.Parse((string)range["from"], CultureInfo.InvariantCulture),
                        range is null ? 0 : long.Parse((string)range["to"], CultureInfo.InvariantCulture),
                        (Dictionary<object, object>)node["model"]));
                }

                rules.Add(new AlertRule((string)rule["uid"], (string)rule["title"], (string)rule["condition"], nodes));
            }
        }

        return rules;
    }

    public async Task<IReadOnlyList<LabelledValue>> FiringAsync(AlertRule rule, DateTimeOffset at)
    {
        var series = new Dictionary<string, List<(IReadOnlyDictionary<string, string> Labels, List<double> Values)>>(StringComparer.Ordinal);
        var numbers = new Dictionary<string, List<LabelledValue>>(StringComparer.Ordinal);
        foreach (var node in rule.Data)
        {
            switch (node.DatasourceUid)
            {
                case "edgeops-influxdb":
                    series[node.RefId] = await InfluxAsync(node, at);
                    break;
                case "edgeops-prometheus":
                    numbers[node.RefId] = await PrometheusAsync(node, at);
                    break;
                case "__expr__":
                    numbers[node.RefId] = node.Text("type") switch
                    {
                        "reduce" => Reduce(node, series.TryGetValue(node.Text("expression"), out var s) ? s
                            : [.. numbers[node.Text("expression")].Select(n => (n.Labels, new List<double> { n.Value }))]),
                        "math" => MathExpression.Evaluate(node.Text("expression"), numbers),
                        "threshold" => Threshold(node, numbers[node.Text("expression")]),
                        var type => throw new InvalidOperationException($"rule {rule.Uid} node {node.RefId}: expression type '{type}' is not evaluated here"),
                    };
                    break;
                default:
                    throw new InvalidOperationException($"rule {rule.Uid} node {node.RefId}: unknown datasourceUid '{node.DatasourceUid}'");
            }
        }

        return [.. numbers[rule.Condition].Where(v => v.Value != 0)];
    }

    private async Task<List<(IReadOnlyDictionary<string, string>, List<double>)>> InfluxAsync(AlertNode node, DateTimeOffset at)
    {
        var from = at.AddSeconds(-node.FromS).ToUnixTimeMilliseconds();
        var to = at.AddSeconds(-node.ToS).ToUnixTimeMilliseconds();
        var query = node.Text("query").Replace("$timeFilter", $"time >= {from}ms and time <= {to}ms", StringComparison.Ordinal);
        Assert.DoesNotContain("$", query.Replace("$/", "/", StringComparison.Ordinal), StringComparison.Ordinal);
        var result = new List<(IReadOnlyDictionary<string, string>, List<double>)>();
        foreach (var s in await influx.QueryAsync(query, database))
        {
            var column = s.Columns.First(c => c != "time");
            var values = s.Rows.Select((_, i) => s.Value(i, column)).Where(v => v.ValueKind == JsonValueKind.Number).Select(v => v.GetDouble()).ToList();
            result.Add((s.Tags, values));
        }

        return result;
    }

    private async Task<List<LabelledValue>> PrometheusAsync(AlertNode node, DateTimeOffset at)
    {
        using var http = new HttpClient { BaseAddress = prometheusUrl };
        var time = (at.ToUnixTimeMilliseconds() / 1000.0).ToString(CultureInfo.InvariantCulture);
        var answer = await http.GetFromJsonAsync<JsonElement>($"api/v1/query?query={Uri.EscapeDataString(node.Text("expr"))}&time={time}");
        Assert.Equal("success", answer.GetProperty("status").GetString());
        return [.. answer.GetProperty("data").GetProperty("result").EnumerateArray().Select(r => new LabelledValue(
            r.GetProperty("metric").EnumerateObject().Where(p => p.Name != "__name__").ToDictionary(p => p.Name, p => p.Value.GetString() ?? string.Empty, StringComparer.Ordinal),
            double.Parse(r.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture)))];
    }

    private static List<LabelledValue> Reduce(AlertNode node, List<(IReadOnlyDictionary<string, string> Labels, List<double> Values)> input)
    {
        var reducer = node.Text("reducer");
        return [.. input.Where(s => s.Values.Count > 0).Select(s => new LabelledValue(s.Labels, reducer switch
        {
            "last" => s.Values[^1],
            "max" => s.Values.Max(),
            "min" => s.Values.Min(),
            "mean" => s.Values.Average(),
            "sum" => s.Values.Sum(),
            "count" => s.Values.Count,
            _ => throw new InvalidOperationException($"node {node.RefId}: reducer '{reducer}' is not evaluated here"),
        }))];
    }

    private static List<LabelledValue> Threshold(AlertNode node, List<LabelledValue> input)
    {
        var condition = (Dictionary<object, object>)((List<object>)node.Model["conditions"])[0];
        var evaluator = (Dictionary<object, object>)condition["evaluator"];
        var type = (string)evaluator["type"];
        var limit = double.Parse((string)((List<object>)evaluator["params"])[0], CultureInfo.InvariantCulture);
        return [.. input.Select(v => v with
        {
            Value = type switch
            {
                "gt" => v.Value > limit ? 1 : 0,
                "lt" => v.Value < limit ? 1 : 0,
                _ => throw new InvalidOperationException($"node {node.RefId}: threshold '{type}' is not evaluated here"),
            },
        })];
    }
}
