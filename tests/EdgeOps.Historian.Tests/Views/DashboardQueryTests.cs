using System.Text.Json;
using System.Text.RegularExpressions;
using EdgeOps.Core.Condition.Features;
using EdgeOps.Core.Model;
using EdgeOps.Historian.Tests.Support;
using EdgeOps.TestSupport;
using EdgeOps.Publishing.Tests.Support;

namespace EdgeOps.Historian.Tests.Views;

/// <summary>
/// Every InfluxQL query of both provisioned dashboards (panels and template variables) runs against the real
/// influxd on data the historian wrote from contract payloads, and returns rows with values.
/// </summary>
[Collection(ServersCollection.Name)]
public sealed partial class DashboardQueryTests(ServersFixture servers)
{
    public static TheoryData<string> Dashboards => new() { "capacity.json", "predictive-maintenance.json", "machine-state.json", "fleet-health.json", "orders.json" };

    [Theory]
    [MemberData(nameof(Dashboards))]
    public async Task EveryDashboardQuery_OnDataTheHistorianWrote_ReturnsRowsWithValues(string file)
    {
        var (database, machines) = await SeedAsync();
        var queries = QueriesOf(file);
        Assert.NotEmpty(queries);
        // All machines selected: the four vibration signals are of the four ISO classes, and each class has its own query.
        var variables = new Dictionary<string, string[]>(StringComparer.Ordinal)
        {
            ["site"] = ["plant1"],
            ["area"] = ["assembly"],
            ["line"] = ["line1"],
            ["gateway"] = ["gw-" + database],
            ["machine"] = machines,
            ["vibration"] = ["vibration"],
            ["temperature"] = ["temperature"],
            ["product"] = ["bracket-a", "bracket-b"],
        };

        var failures = new List<string>();
        foreach (var (where, query) in queries)
        {
            var influxQl = Substitute(query, variables);
            var series = await servers.Influxd.QueryAsync(influxQl, database);
            if (series.Count == 0 || series.All(s => s.Rows.Count == 0))
            {
                failures.Add($"{where}: no rows\n  {influxQl}");
                continue;
            }

            // Every column the panel shows must have a value somewhere (a misspelt field gives an all-null column).
            var empty = series[0].Columns
                .Where(c => c != "time")
                .Where(c => !series.Any(s => s.Rows.Any(r => s.Value(s.Rows.ToList().IndexOf(r), c).ValueKind is not JsonValueKind.Null)))
                .ToList();
            if (empty.Count > 0)
            {
                failures.Add($"{where}: columns without any value: {string.Join(", ", empty)}\n  {influxQl}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Theory]
    [MemberData(nameof(Dashboards))]
    public void Dashboard_IsImportable_EveryQueryOnTheDataSourceVariable(string file)
    {
        var text = File.ReadAllText(DashboardPath(file));
        // A UI import into a Grafana without our provisioned data source must not refer to its uid anywhere.
        Assert.DoesNotContain("edgeops-influxdb", text, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(text);
        var root = document.RootElement;
        var inputs = root.GetProperty("__inputs").EnumerateArray().Select(i => i.GetProperty("name").GetString()!).ToList();
        Assert.Contains("DS_EDGEOPS_INFLUXDB", inputs);
        var variables = root.GetProperty("templating").GetProperty("list").EnumerateArray().ToList();
        var datasourceVariables = variables.Where(v => v.GetProperty("type").GetString() == "datasource").ToList();
        Assert.Contains(datasourceVariables, v => v.GetProperty("name").GetString() == "datasource" && v.GetProperty("query").GetString() == "influxdb");
        foreach (var variable in datasourceVariables)
        {
            // The import's input is the variable's default, so an imported dashboard opens on the data source picked.
            var input = variable.GetProperty("current").GetProperty("value").GetString()!;
            Assert.Contains(input.Trim('$', '{', '}'), inputs);
        }

        var names = variables.Select(v => v.GetProperty("name").GetString()).ToList();
        Assert.Contains("site", names);
        if (file != "fleet-health.json")
        {
            Assert.Equal(["datasource", "site", "area", "line", "machine"], names.Take(5));
        }

        Assert.DoesNotContain(variables, v => v.GetProperty("type").GetString() == "textbox");
        Assert.NotEmpty(root.GetProperty("links").EnumerateArray());
        Assert.Contains(root.GetProperty("annotations").GetProperty("list").EnumerateArray(), a => a.TryGetProperty("query", out _));
        foreach (var panel in root.GetProperty("panels").EnumerateArray())
        {
            var uid = panel.GetProperty("datasource").GetProperty("uid").GetString();
            Assert.True(uid is "${datasource}" or "${prometheus}", $"{file} '{panel.GetProperty("title")}' uses data source '{uid}'");
            foreach (var target in panel.GetProperty("targets").EnumerateArray())
            {
                Assert.Equal(uid, target.GetProperty("datasource").GetProperty("uid").GetString());
                Assert.True(uid == "${prometheus}" || target.GetProperty("rawQuery").GetBoolean(), $"{file} '{panel.GetProperty("title")}' is not raw InfluxQL");
            }
        }
    }

    [Fact]
    public void VibrationPanel_DrawsForEveryIsoClass_TheLimitsTheGatewayClassifiesWith()
    {
        var queries = QueriesOf("predictive-maintenance.json").Select(q => q.Query).ToList();
        foreach (var isoClass in Enum.GetValues<IsoMachineClass>())
        {
            var query = Assert.Single(queries, q => q.Contains($"\"isoClass\" = '{isoClass}'", StringComparison.Ordinal));
            var drawn = new[] { "A/B", "B/C", "C/D" }
                .Select(name => Regex.Match(query, $@"\+ ([0-9.]+) AS ""{name}""", RegexOptions.None, TimeSpan.FromSeconds(1)))
                .Select(m => m.Success ? double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : double.NaN);
            Assert.Equal(IsoZoneClassifier.Boundaries(isoClass), drawn);
        }
    }

    [Fact]
    public async Task CompletedOrders_AreOneRowEach_WithTheNewestRevision_SoTheDashboardsCountOrdersNotMessages()
    {
        var (database, machines) = await SeedAsync();
        var series = await servers.Influxd.QueryAsync(
            $"SELECT \"orderId\", \"revision\", \"counts_good\", \"onTime\" FROM \"orders\" WHERE \"machine\" = '{machines[0]}' GROUP BY \"product\"", database);

        var rows = series.SelectMany(s => s.Rows.Select((_, i) => (Product: s.Tags["product"], Order: s.Value(i, "orderId").GetString(),
            Revision: s.Value(i, "revision").GetDouble(), Good: s.Value(i, "counts_good").GetDouble(), OnTime: s.Value(i, "onTime").GetBoolean()))).ToList();
        Assert.Equal(OrderSamples.CompletedOrders, rows.Select(r => r.Order).Order(StringComparer.Ordinal));
        // PO-1 was revised by a late count: its one row is the revision's.
        var po1 = Assert.Single(rows, r => r.Order == "PO-1");
        Assert.Equal(("bracket-a", 1.0, 472.0, true), (po1.Product, po1.Revision, po1.Good, po1.OnTime));
        var po2 = Assert.Single(rows, r => r.Order == "PO-2");
        Assert.Equal(("bracket-b", false), (po2.Product, po2.OnTime));
    }

    internal static string DashboardPath(string file) => Path.Combine(RepositoryRoot.Path, "deploy/grafana/dashboards", file);

    /// <summary>Every InfluxQL query of the dashboard: panel targets on the InfluxDB variable, query variables, annotations.</summary>
    private static List<(string Where, string Query)> QueriesOf(string file) => QueriesOf(file, "${datasource}");

    /// <summary>The queries on data source variable <paramref name="datasource"/> (<c>query</c> for InfluxQL, <c>expr</c> for PromQL).</summary>
    internal static List<(string Where, string Query)> QueriesOf(string file, string datasource)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(DashboardPath(file)));
        var root = document.RootElement;
        var queries = new List<(string, string)>();
        foreach (var panel in root.GetProperty("panels").EnumerateArray())
        {
            foreach (var target in panel.GetProperty("targets").EnumerateArray())
            {
                if (target.GetProperty("datasource").GetProperty("uid").GetString() == datasource)
                {
                    queries.Add(($"{file} panel '{panel.GetProperty("title").GetString()}' {target.GetProperty("refId").GetString()}",
                        target.GetProperty(datasource == "${prometheus}" ? "expr" : "query").GetString()!));
                }
            }
        }

        foreach (var variable in root.GetProperty("templating").GetProperty("list").EnumerateArray())
        {
            if (variable.GetProperty("type").GetString() == "query" && variable.GetProperty("datasource").GetProperty("uid").GetString() == datasource)
            {
                queries.Add(($"{file} variable '{variable.GetProperty("name").GetString()}'", variable.GetProperty("query").GetString()!));
            }
        }

        foreach (var annotation in root.GetProperty("annotations").GetProperty("list").EnumerateArray())
        {
            if (annotation.TryGetProperty("query", out var query) && annotation.GetProperty("datasource").GetProperty("uid").GetString() == datasource)
            {
                queries.Add(($"{file} annotation '{annotation.GetProperty("name").GetString()}'", query.GetString()!));
            }
        }

        return queries;
    }

    /// <summary>
    /// What Grafana does before sending: macros, then variables, regex-escaped in /^$x$/; several selected values as
    /// (a|b), the InfluxDB data source's format for a multi-value variable.
    /// </summary>
    private static string Substitute(string query, Dictionary<string, string[]> variables)
    {
        var result = query
            .Replace("$timeFilter", "time >= '2026-11-25T00:00:00Z' AND time <= '2026-11-27T00:00:00Z'", StringComparison.Ordinal)
            .Replace("$__interval", "1m", StringComparison.Ordinal);
        result = VariablePattern().Replace(result, m => variables.TryGetValue(m.Groups[1].Value, out var values)
            ? values.Length == 1 ? Regex.Escape(values[0]) : $"({string.Join('|', values.Select(Regex.Escape))})"
            : throw new InvalidOperationException($"Unknown dashboard variable '{m.Value}' in: {query}"));
        return result;
    }

    /// <summary>
    /// A line of four machines. The press: kpi, counts, state, stops, closed shifts and a temperature (contract-shaped by
    /// hand), and vibration (ISO class II), alarms and maintenance exactly as the gateway builds them (ConditionSamples:
    /// a real monitor and real counters). The fan, mill and turbine: a kpi and vibration of class I, III and IV.
    /// </summary>
    private async Task<(string Database, string[] Machines)> SeedAsync()
    {
        var database = await servers.NewDatabaseAsync();
        using var dir = new TempDirectory();
        await using var historian = await HistorianRunner.StartAsync(
            HistorianConfig.V1(servers.Broker.Port, servers.Influxd.Url, database, dir.Path, "hist-" + database));
        await using var line = await LinePublisher.ConnectAsync(servers.Broker.Port, "press-" + database);
        var t0 = new DateTimeOffset(2026, 11, 26, 6, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < 10; i++)
        {
            var t = t0.AddMinutes(i);
            await line.PublishKpiAsync(t, i, i == 9 ? 42 : null);
            await line.PublishCountsAsync(t.AddSeconds(1), 100 + (i * 10));
            await line.PublishConditionAsync(t.AddSeconds(3), "temperature", 40 + i, null, 0.1 * i);
        }

        await line.PublishStateAsync(t0.AddMinutes(3), "down", "jam");
        await line.PublishEventAsync(t0.AddMinutes(4), "stopEnded", "jam", 180);
        await line.PublishEventAsync(t0.AddMinutes(6), "stopEnded", "starved", 60);
        await line.PublishEventAsync(t0.AddMinutes(7), "stopEnded", "jam", 90);
        await line.PublishShiftAsync(t0.AddHours(-8), "night", 0);
        await line.PublishShiftAsync(t0, "early", 0);
        await line.PublishStatusAsync(t0.AddMinutes(-30), "gw-" + database);
        var gateway = ConditionSamples.All(line.Topics).ToList();
        foreach (var message in gateway)
        {
            await line.PublishAsync(message);
        }

        var orders = OrderSamples.All(line.Topics).ToList();
        foreach (var message in orders)
        {
            await line.PublishAsync(message);
        }

        var expected = new List<(string Query, long Count)>
        {
            ($"SELECT count(oee) FROM shift WHERE machine = '{line.Machine}'", 2),
            ($"SELECT count(seq) FROM status WHERE gateway = 'gw-{database}'", 1),
            ($"SELECT count(oee) FROM kpi WHERE machine = '{line.Machine}'", 10),
            ($"SELECT count(severity) FROM events WHERE machine = '{line.Machine}'", 3 + gateway.Count(m => m.Topic == line.Topics.Events) + orders.Count(m => m.Topic == line.Topics.Events)),
            ($"SELECT count(runHours) FROM maintenance WHERE machine = '{line.Machine}'", gateway.Count(m => m.Topic == line.Topics.Maintenance)),
            // The line order's topic (machine level _line) is every seed's: counted by machine, the others' do not show.
            ($"SELECT count(order_orderId) FROM \"order\" WHERE machine = '{line.Machine}'", orders.Count(m => m.Topic == line.Topics.Order)),
            ($"SELECT count(revision) FROM orders WHERE machine = '{line.Machine}' AND revision = 1", 1),
        };
        var machines = new List<string> { line.Machine };
        foreach (var (name, isoClass) in new[] { ("fan", IsoMachineClass.I), ("mill", IsoMachineClass.III), ("turbine", IsoMachineClass.IV) })
        {
            await using var other = await LinePublisher.ConnectAsync(servers.Broker.Port, $"{name}-{database}");
            await other.PublishKpiAsync(t0, 0);
            var windows = ConditionSamples.VibrationWindows(other.Topics, "vibration", ConditionSamples.Vibration with { IsoClass = isoClass }).ToList();
            foreach (var message in windows)
            {
                await other.PublishAsync(message);
            }

            machines.Add(other.Machine);
            expected.Add(($"SELECT count(velocityRmsMmS) FROM condition WHERE machine = '{other.Machine}'",
                windows.Count(m => m.Topic == other.Topics.Condition("vibration"))));
        }

        await Eventually.HoldsAsync(async () =>
        {
            var counts = new List<string>();
            foreach (var (query, count) in expected)
            {
                var series = await servers.Influxd.QueryAsync(query, database);
                counts.Add($"{(series.Count == 1 ? series[0].Value(0, "count").GetInt64() : 0)} of {count}: {query}");
                if (series.Count != 1 || series[0].Value(0, "count").GetInt64() != count)
                {
                    return (false, string.Join("; ", counts));
                }
            }

            return (true, string.Empty);
        }, TimeSpan.FromSeconds(30));
        return (database, [.. machines]);
    }

    [GeneratedRegex(@"\$([A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex VariablePattern();
}
