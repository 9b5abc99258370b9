using System.Globalization;
using System.Text;
using EdgeOps.Contract;
using EdgeOps.Historian.Tests.Support;
using EdgeOps.Publishing.Mqtt;
using EdgeOps.Contract.Payloads;
using EdgeOps.Publishing.Outbox;
using EdgeOps.Publishing.Tests.Support;
using EdgeOps.TestSupport;

namespace EdgeOps.Historian.Tests.Views;

/// <summary>
/// Every provisioned alert rule (deploy/grafana/provisioning/alerting) evaluated as Grafana evaluates it, against influxd
/// holding what the historian wrote from gateway payloads (and victoria-metrics for the Prometheus rule): each fires for
/// exactly the machines, signals, items or gateways whose data should fire it, and stays quiet for their neighbours.
/// </summary>
[Collection(ServersCollection.Name)]
public sealed class AlertRuleTests(ServersFixture servers)
{
    // After the condition and maintenance samples (Samples.Now .. +3 h); the rules' queries use $timeFilter, not now().
    private static readonly DateTimeOffset T0 = Samples.Now.AddHours(4);

    private static string RulesPath => Path.Combine(RepoPaths.Root, "deploy/grafana/provisioning/alerting/edgeops-rules.yaml");

    [Fact]
    public void RulesFile_ProvisionsTheSevenRules_OnTheProvisionedDataSources()
    {
        var rules = AlertRuleEvaluator.Load(RulesPath);
        Assert.Equal(
            ["edgeops-condition-alarm", "edgeops-gateway-offline", "edgeops-iso-zone-cd", "edgeops-machine-down", "edgeops-maintenance-overdue",
                "edgeops-oee-below-target", "edgeops-outbox-drops"],
            rules.Select(r => r.Uid).Order(StringComparer.Ordinal));
        var datasources = string.Concat(Directory.GetFiles(Path.Combine(RepoPaths.Root, "deploy/grafana/provisioning/datasources"), "*.yaml")
            .Select(File.ReadAllText));
        foreach (var rule in rules)
        {
            Assert.Contains(rule.Data, n => n.RefId == rule.Condition);
            foreach (var node in rule.Data.Where(n => n.DatasourceUid != "__expr__"))
            {
                Assert.Contains($"uid: {node.DatasourceUid}", datasources, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task EveryRule_FiresOnDataThatShouldFireIt_AndOnlyThere()
    {
        var database = await servers.NewDatabaseAsync();
        var run = database[..6];
        // The broker is shared with other tests, whose retained messages the historian also stores: this run's data is
        // on a site of its own, and only alerts of that site (or of this run's gateways) count.
        var site = "alerts-" + run;
        await SeedAsync(database, run, site);
        var evaluator = new AlertRuleEvaluator(servers.Influxd, database, servers.Victoria.Url);
        var rules = AlertRuleEvaluator.Load(RulesPath).ToDictionary(r => r.Uid);

        var expected = new (string Rule, DateTimeOffset At, string Label, string[] Firing)[]
        {
            ("edgeops-gateway-offline", T0, "gateway", ["gw-gone"]),
            ("edgeops-machine-down", T0, "machine", ["press-down"]),
            ("edgeops-oee-below-target", T0, "machine", ["press-down"]),
            // The condition samples' windows end at Samples.Now + 40 s; the ISO rule looks back one hour.
            ("edgeops-iso-zone-cd", Samples.Now.AddMinutes(10), "machine", ["mill-hot"]),
            ("edgeops-condition-alarm", T0, "machine", ["mill-hot"]),
            ("edgeops-maintenance-overdue", T0, "item", ["lubrication"]),
            ("edgeops-outbox-drops", DateTimeOffset.UtcNow, "gateway", [$"gw-full-{run}"]),
        };
        var failures = new List<string>();
        foreach (var (uid, at, label, firing) in expected)
        {
            var fired = (await evaluator.FiringAsync(rules[uid], at))
                .Where(f => f.Labels.TryGetValue("site", out var s) ? s == site : f.Labels.GetValueOrDefault("gateway", string.Empty).EndsWith(run, StringComparison.Ordinal))
                .ToList();
            var names = fired.Select(f => f.Labels.TryGetValue(label, out var v) ? v : f.Key).Order(StringComparer.Ordinal).ToArray();
            if (!names.SequenceEqual(firing))
            {
                failures.Add($"{uid}: fired for [{string.Join(", ", fired.Select(f => f.Key))}], expected {label} [{string.Join(", ", firing)}]");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>
    /// Firing and quiet neighbours for each rule, through the historian. Gateways: gw-gone's newest status is its will;
    /// gw-back came back after one; gw-up never left. Machines: press-down is down 20 min (current stop 1,200 s) and
    /// closed its shift at OEE 0.5; press-short is down 3 min and closed at 0.72; press-back was down, runs again.
    /// mill-hot's newest vibration window is zone C and its alarm is raised; fan-ok went back to B and its alarm cleared.
    /// press-maint: lubrication overdue, die-change overdue then reset. Outbox drops go to victoria-metrics directly.
    /// </summary>
    private async Task SeedAsync(string database, string run, string site)
    {
        using var dir = new TempDirectory();
        await using var historian = await HistorianRunner.StartAsync(
            HistorianConfig.V1(servers.Broker.Port, servers.Influxd.Url, database, dir.Path, "hist-" + database));
        var published = new Dictionary<string, int>(StringComparer.Ordinal);
        void Count(string measurement, int n = 1) => published[measurement] = published.GetValueOrDefault(measurement) + n;

        await using (var gateways = await LinePublisher.ConnectAsync(servers.Broker.Port, "gateways-" + database, site))
        {
            var session = T0.AddHours(-1);
            foreach (var (gateway, states) in new[] { ("gw-gone", new[] { "online", "offline" }), ("gw-back", ["online", "offline", "online"]), ("gw-up", ["online"]) })
            {
                for (var i = 0; i < states.Length; i++)
                {
                    // As the gateway does: the will is built at connect, just before the birth, and carries the next seq.
                    var ts = session.AddMinutes(i / 2 * 10).AddMilliseconds(states[i] == "offline" ? 50 : 0);
                    await gateways.PublishAsync(OutgoingMessage.Json(MqttTopics.GatewayStatus(site, gateway), MessageKind.Status, new GatewayStatusPayload
                    {
                        Ts = ts, GatewayId = gateway, State = states[i], Version = "0.1.0", StartedAt = session, UptimeS = (ts - session).TotalSeconds,
                        ConfigHash = "abc123",
                    }, PayloadJsonContext.Default.GatewayStatusPayload, i + 1));
                    Count("status");
                }
            }
        }

        foreach (var (machine, states, stopS, oee) in new[]
        {
            ("press-down", new[] { ("running", -30), ("down", -20) }, (double?)1200.0, 0.5),
            ("press-short", [("running", -30), ("down", -3)], (double?)180.0, 0.72),
            ("press-back", [("down", -40), ("running", -5)], (double?)null, 0.72),
        })
        {
            await using var line = await LinePublisher.ConnectAsync(servers.Broker.Port, machine, site);
            foreach (var (state, minutes) in states)
            {
                await line.PublishStateAsync(T0.AddMinutes(minutes), state, state == "down" ? "jam" : "running");
                Count("state");
            }

            await line.PublishKpiAsync(T0.AddMinutes(-6), 1, 1500);
            await line.PublishKpiAsync(T0.AddMinutes(-1), 2, stopS);
            await line.PublishShiftAsync(T0.AddHours(-2), "early", 0, oee);
            Count("kpi", 2);
            Count("shift");
        }

        foreach (var (machine, hot) in new[] { ("mill-hot", true), ("fan-ok", false) })
        {
            await using var line = await LinePublisher.ConnectAsync(servers.Broker.Port, machine, site);
            var messages = ConditionSamples.VibrationWindows(line.Topics, "vibration", ConditionSamples.Vibration).ToList();
            var windows = messages.Where(m => m.Topic == line.Topics.Condition("vibration")).ToList();
            var alarms = messages.Where(m => m.Topic == line.Topics.Events).ToList();
            Assert.Equal(2, alarms.Count);
            // mill-hot: up to the window at 3.5 mm/s (zone C) and the alarm's raise; fan-ok: everything, back to B, cleared.
            foreach (var message in hot ? [.. windows.Take(2), alarms[0]] : windows.Concat(alarms))
            {
                await line.PublishAsync(message);
                Count(message.Topic == line.Topics.Events ? "events" : "condition");
            }
        }

        await using (var line = await LinePublisher.ConnectAsync(servers.Broker.Port, "press-maint", site))
        {
            foreach (var message in ConditionSamples.Maintenance(line.Topics))
            {
                await line.PublishAsync(message);
                Count(message.Topic == line.Topics.Events ? "events" : "maintenance");
            }
        }

        await Eventually.HoldsAsync(async () =>
        {
            var observed = new List<string>();
            var ok = true;
            foreach (var (measurement, count) in published)
            {
                var series = await servers.Influxd.QueryAsync($"SELECT count(\"seq\") FROM \"{measurement}\" WHERE \"site\" = '{site}'", database);
                var stored = series.Count == 1 ? series[0].Value(0, "count").GetInt64() : 0;
                observed.Add($"{measurement} {stored} of {count}");
                ok &= stored == count;
            }

            return (ok, string.Join("; ", observed));
        }, TimeSpan.FromSeconds(60));

        // The gateway's counter edgeops.outbox.dropped as its /metrics exposes it (counter: _total), scraped twice.
        var now = DateTimeOffset.UtcNow;
        var exposition = new StringBuilder();
        foreach (var (gateway, before, after) in new[] { ($"gw-full-{run}", 0, 12), ($"gw-fine-{run}", 0, 0) })
        {
            exposition.Append(CultureInfo.InvariantCulture, $"edgeops_outbox_dropped_total{{gateway=\"{gateway}\",kind=\"snapshot\"}} {before} {now.AddMinutes(-8).ToUnixTimeMilliseconds()}\n");
            exposition.Append(CultureInfo.InvariantCulture, $"edgeops_outbox_dropped_total{{gateway=\"{gateway}\",kind=\"snapshot\"}} {after} {now.AddMinutes(-1).ToUnixTimeMilliseconds()}\n");
        }

        using var http = new HttpClient { BaseAddress = servers.Victoria.Url };
        using (var response = await http.PostAsync(new Uri("api/v1/import/prometheus", UriKind.Relative), new StringContent(exposition.ToString())))
        {
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }

        await servers.Victoria.ExportAsync($"{{gateway=\"gw-full-{run}\"}}");
    }
}
