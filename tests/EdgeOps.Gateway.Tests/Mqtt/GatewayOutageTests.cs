using System.Globalization;
using System.Text.RegularExpressions;
using EdgeOps.Publishing.Tests.Support;
using Xunit.Abstractions;

namespace EdgeOps.Gateway.Tests.Mqtt;

/// <summary>
/// Broker outage with the real gateway process on the simulated line (<see cref="GatewayOutageFixture"/>): the subscriber
/// sees every event seq of every machine once (after de-duplication), in order, including the ones produced while the
/// broker was down, across a SIGKILL, and past a tiny outbox bound.
/// </summary>
[Collection("gateway-outage")]
public sealed partial class GatewayOutageTests(GatewayOutageFixture outage, ITestOutputHelper log)
{
    [Fact]
    public void BrokerOutage_SimulatedLine_EveryEventSeqArrivesOnceInOrder()
    {
        AssertEveryEventOnceInOrder(outage.Plain, outage.OutageStart, outage.OutageEnd);
    }

    [Fact]
    public void BrokerOutage_GatewayKilledAndRestartedDuringIt_NothingMissing()
    {
        var run = outage.Killed;
        AssertEveryEventOnceInOrder(run, outage.OutageStart, outage.OutageEnd);

        // The events at risk: produced by the first run during the outage, still in its outbox when it was killed.
        var beforeKill = ProducedBetween(run, outage.OutageStart, outage.KilledAt);
        log.WriteLine($"{run}: {beforeKill} events produced during the outage before the kill");
        Assert.True(beforeKill > 0, $"the killed run produced no events during the outage ({outage.OutageStart:O}..{outage.KilledAt:O})\n{run.Output}");
        Assert.Contains("from a previous run", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BrokerOutage_TinyOutboxBound_EveryEventArrives_SnapshotsDroppedAndCounted()
    {
        var run = outage.Bounded;
        AssertEveryEventOnceInOrder(run, outage.OutageStart, outage.OutageEnd);

        // Events alone exceed the bound during the outage: the outbox keeps them and says so.
        Assert.Contains("nothing left that may be dropped, events are kept", run.Output, StringComparison.Ordinal);

        // /metrics and the log agree on how many snapshots went (the log may trail the counter by a moment).
        long metric = 0;
        var logged = 0;
        string metrics = string.Empty;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        do
        {
            metrics = await GatewayOutageFixture.MetricsAsync(run);
            metric = Dropped(metrics, run.GatewayId, "snapshot");
            logged = Regex.Matches(run.Output, @"dropped snapshot edgeops/v1/").Count;
            if (metric == logged)
            {
                break;
            }

            await Task.Delay(500);
        }
        while (DateTime.UtcNow < deadline);

        log.WriteLine($"{run}: {metric} snapshots dropped (metric), {logged} logged");
        Assert.True(metric > 0, $"a {GatewayOutageFixture.TinyBound}-byte bound over a {outage.Outage.TotalSeconds} s outage must drop snapshots:\n{metrics}");
        Assert.Equal(metric, logged);
        Assert.Equal(0, Dropped(metrics, run.GatewayId, "event"));
        Assert.DoesNotContain("dropped event", run.Output, StringComparison.Ordinal);

        // Only superseded snapshots go, never the newest of a topic: every machine's state from the outage (or newer)
        // still reaches the subscriber.
        foreach (var topics in run.Topics)
        {
            Assert.Contains(outage.On(topics.State), r => r.Json.GetProperty("ts").GetDateTimeOffset() >= outage.OutageStart);
        }
    }

    private void AssertEveryEventOnceInOrder(GatewayRun run, DateTimeOffset from, DateTimeOffset to)
    {
        foreach (var topic in run.EventTopics)
        {
            // Against what the gateway produced (its outbox's count), not the newest seq received: a lost tail fails.
            Assert.True(run.Produced.TryGetValue(topic, out var last) && last > 0, $"{run}: produced nothing on {topic}\n{run.Output}");
            var received = outage.On(topic).Where(r => r.Seq <= last).ToList();
            SeqCheck.EveryOnceInOrder(received, topic, last, run.GatewayId);
            log.WriteLine($"{topic}: seq 1..{last} produced, {received.Count} received ({received.Count - last} duplicates)");
        }

        // The outage was real for this gateway: a good share of what it sent was produced while the broker was down.
        var during = ProducedBetween(run, from, to);
        log.WriteLine($"{run}: {during} events produced during the {(to - from).TotalSeconds:0.0} s outage");
        Assert.True(during >= 20, $"{run}: only {during} events produced during the outage ({from:O}..{to:O})\n{run.Output}");
    }

    /// <summary>Distinct events whose payload <c>ts</c> (when the gateway produced them) lies in [from, to].</summary>
    private int ProducedBetween(GatewayRun run, DateTimeOffset from, DateTimeOffset to) => run.EventTopics
        .SelectMany(topic => outage.On(topic).Select(r => (topic, r.Seq, Ts: r.Json.GetProperty("ts").GetDateTimeOffset())))
        .Where(e => e.Ts >= from && e.Ts <= to)
        .Select(e => (e.topic, e.Seq))
        .Distinct()
        .Count();

    private static long Dropped(string metrics, string gateway, string kind)
    {
        long total = 0;
        foreach (Match match in DroppedLine().Matches(metrics))
        {
            var labels = match.Groups["labels"].Value;
            if (labels.Contains($"gateway=\"{gateway}\"", StringComparison.Ordinal) && labels.Contains($"kind=\"{kind}\"", StringComparison.Ordinal))
            {
                total += long.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture);
            }
        }

        return total;
    }

    [GeneratedRegex(@"^edgeops_outbox_dropped_total\{(?<labels>[^}]*)\} (?<value>\d+)$", RegexOptions.Multiline)]
    private static partial Regex DroppedLine();
}
