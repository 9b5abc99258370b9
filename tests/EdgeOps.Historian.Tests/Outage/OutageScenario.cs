using System.Diagnostics;
using EdgeOps.Historian.Tests.Support;
using EdgeOps.TestSupport;
using EdgeOps.TestSupport.Influx;

namespace EdgeOps.Historian.Tests.Outage;

/// <summary>
/// The simulated line for the outage tests: publishes a KPI snapshot and an event every 100 ms for the whole
/// scenario, while the steps (stop InfluxDB, kill the historian, …) run at fixed offsets. Then checks that every
/// published point is in influxd exactly once with its own value.
/// </summary>
internal static class OutageScenario
{
    public static readonly TimeSpan PublishInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>Publishes until <paramref name="duration"/> has passed; returns the number of event messages.</summary>
    public static async Task<int> PublishForAsync(LinePublisher line, TimeSpan duration, DateTimeOffset t0)
    {
        var watch = Stopwatch.StartNew();
        var i = 0;
        while (watch.Elapsed < duration)
        {
            var t = t0.AddMilliseconds(i * 250);
            await line.PublishKpiAsync(t, i);
            await line.PublishEventAsync(t, "stopEnded", i % 2 == 0 ? "jam" : "starved", i);
            i++;
            await Task.Delay(PublishInterval);
        }

        return i;
    }

    public static async Task AssertEveryPointOnceAsync(InfluxV1Server influxd, string database, LinePublisher line, int events)
    {
        var where = $"WHERE machine = '{line.Machine}'";
        await Eventually.HoldsAsync(async () =>
        {
            var kpi = await influxd.QueryAsync($"SELECT count(oee) FROM kpi {where}", database);
            var ev = await influxd.QueryAsync($"SELECT count(durationS) FROM events {where}", database);
            var k = kpi.Count == 1 ? kpi[0].Value(0, "count").GetInt64() : 0;
            var e = ev.Count == 1 ? ev[0].Value(0, "count").GetInt64() : 0;
            return (k == line.PublishedKpi.Count && e == events, $"kpi {k}/{line.PublishedKpi.Count}, events {e}/{events}");
        }, TimeSpan.FromSeconds(90));

        var series = Assert.Single(await influxd.QueryAsync($"SELECT oee FROM kpi {where}", database));
        Assert.Equal(line.PublishedKpi.Select(k => k.TsMs), series.Rows.Select(r => r[0].GetInt64()));
        Assert.Equal(line.PublishedKpi.Select(k => k.Oee), series.Rows.Select(r => r[1].GetDouble()));
        var durations = Assert.Single(await influxd.QueryAsync($"SELECT durationS FROM events {where}", database));
        Assert.Equal(Enumerable.Range(0, events).Select(i => (double)i), durations.Rows.Select(r => r[1].GetDouble()));
    }
}
