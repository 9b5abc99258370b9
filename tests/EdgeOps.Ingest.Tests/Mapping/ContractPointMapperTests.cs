using System.Text;
using EdgeOps.Ingest;

namespace EdgeOps.Ingest.Tests.Mapping;

public sealed class ContractPointMapperTests
{
    private const string KpiTopic = "edgeops/v1/plant1/assembly/line1/press1/kpi";

    private static (MapStatus Status, List<InfluxPoint> Points, string? Error) Map(string topic, string json)
    {
        var points = new List<InfluxPoint>();
        var status = ContractPointMapper.Map(topic, Encoding.UTF8.GetBytes(json), points, out var error);
        return (status, points, error);
    }

    [Fact]
    public void Kpi_MapsToKpiMeasurement_WithTopicTags_FlattenedFields_AndThePayloadTimestamp()
    {
        var (status, points, _) = Map(KpiTopic,
            """{"schema":"edgeops.kpi/1","seq":12,"ts":"2026-11-26T07:00:01.250Z","machine":"press1","oee":0.61,"stale":false,"throughput":{"perHour1m":118.5},"downtime":{"totalS":360,"byReason":[{"code":"jam","label":"Jam","seconds":240,"count":2}]}}""");

        Assert.Equal(MapStatus.Mapped, status);
        var kpi = Assert.Single(points, p => p.Measurement == "kpi");
        Assert.Equal(
            "kpi,area=assembly,line=line1,machine=press1,site=plant1 seq=12,oee=0.61,stale=false,throughput_perHour1m=118.5,downtime_totalS=360 1795676401250000000",
            kpi.ToLineProtocol());
        var pareto = Assert.Single(points, p => p.Measurement == "kpi_byReason");
        Assert.Equal("kpi_byReason,area=assembly,line=line1,machine=press1,reason=jam,site=plant1 label=\"Jam\",seconds=240,count=2 1795676401250000000",
            pareto.ToLineProtocol());
    }

    [Fact]
    public void SameMessage_MappedTwice_GivesIdenticalLines()
    {
        const string json = """{"schema":"edgeops.state/1","seq":3,"ts":"2026-11-26T07:00:01.000Z","machine":"press1","state":"down","reasonCode":"jam","reasonLabel":"Jam","since":"2026-11-26T06:58:00.000Z"}""";
        var first = Map("edgeops/v1/plant1/assembly/line1/press1/state", json).Points.Select(p => p.ToLineProtocol());
        var second = Map("edgeops/v1/plant1/assembly/line1/press1/state", json).Points.Select(p => p.ToLineProtocol());

        Assert.Equal(first, second);
        Assert.Contains(",reason=jam,", first.Single(), StringComparison.Ordinal);
    }

    [Fact]
    public void Condition_TakesTheSignalTagFromTheTopic()
    {
        var (status, points, _) = Map("edgeops/v1/plant1/assembly/line1/press1/condition/vibration",
            """{"schema":"edgeops.condition/1","seq":1,"ts":"2026-11-26T07:00:00.000Z","sourceTs":"2026-11-26T06:59:59.800Z","machine":"press1","signal":"vibration","rms":2.5,"zone":"B"}""");

        Assert.Equal(MapStatus.Mapped, status);
        var point = Assert.Single(points);
        Assert.Equal("condition", point.Measurement);
        Assert.Contains(new KeyValuePair<string, string>("signal", "vibration"), point.Tags);
        Assert.Equal(1795676400000000000, point.TimestampNs);
    }

    [Fact]
    public void Maintenance_MapsLifetimeUsage_AndOnePointPerItemTaggedByItsName()
    {
        var (status, points, error) = Map("edgeops/v1/plant1/assembly/line1/press1/maintenance",
            """{"schema":"edgeops.maintenance/1","seq":4,"ts":"2026-11-26T07:00:00.000Z","machine":"press1","runHours":12.5,"cycles":900,"starts":3,"items":[{"item":"lubrication","level":"due","progress":1.02,"runHours":12.5,"cycles":900,"starts":3,"everyHours":12,"lastResetBy":"j.doe"}]}""");

        Assert.True(status == MapStatus.Mapped, error);
        Assert.Equal("maintenance,area=assembly,line=line1,machine=press1,site=plant1 seq=4,runHours=12.5,cycles=900,starts=3 1795676400000000000",
            points.Single(p => p.Measurement == "maintenance").ToLineProtocol());
        Assert.Equal(
            "maintenance_items,area=assembly,item=lubrication,line=line1,machine=press1,site=plant1 level=\"due\",progress=1.02,runHours=12.5,cycles=900,starts=3,everyHours=12,lastResetBy=\"j.doe\" 1795676400000000000",
            points.Single(p => p.Measurement == "maintenance_items").ToLineProtocol());
    }

    [Fact]
    public void Alarms_MapsOnePointPerRaisedAlarmTaggedBySignalAndAlarm()
    {
        var (status, points, error) = Map("edgeops/v1/plant1/assembly/line1/press1/alarms",
            """{"schema":"edgeops.alarms/1","seq":2,"ts":"2026-11-26T07:00:00.000Z","machine":"press1","active":[{"signal":"vibration","alarm":"zone-c","severity":"critical","feature":"velocityRms","value":3.1,"threshold":2.8,"since":"2026-11-26T06:59:00.000Z"}]}""");

        Assert.True(status == MapStatus.Mapped, error);
        var alarm = Assert.Single(points, p => p.Measurement == "alarms_active");
        Assert.Contains(new KeyValuePair<string, string>("alarm", "zone-c"), alarm.Tags);
        Assert.Contains(new KeyValuePair<string, string>("signal", "vibration"), alarm.Tags);
        Assert.DoesNotContain(alarm.Fields, f => f.Key is "alarm" or "signal");
    }

    [Fact]
    public void Events_InTheSameMillisecond_GetDistinctTimestampsFromSeq()
    {
        const string template = """{"schema":"edgeops.event/1","seq":SEQ,"ts":"2026-11-26T07:00:00.010Z","machine":"m","type":"stopEnded","severity":"info","message":"x","at":"2026-11-26T07:00:00.000Z","durationS":30}""";
        var a = Map("edgeops/v1/s/a/l/m/events", template.Replace("SEQ", "41", StringComparison.Ordinal)).Points.Single();
        var b = Map("edgeops/v1/s/a/l/m/events", template.Replace("SEQ", "42", StringComparison.Ordinal)).Points.Single();

        Assert.NotEqual(a.TimestampNs, b.TimestampNs);
        Assert.Equal(1795676400000000000 / 1_000_000, a.TimestampNs / 1_000_000);
    }

    [Fact]
    public void Status_OnTheGatewaysTopic_IsTaggedWithTheGateway()
    {
        var (status, points, _) = Map("edgeops/v1/plant1/_gateways/gw-7/status",
            """{"schema":"edgeops.status/1","seq":1,"ts":"2026-11-26T07:00:00.000Z","gatewayId":"gw-7","state":"online","uptimeS":12}""");

        Assert.Equal(MapStatus.Mapped, status);
        Assert.Contains(new KeyValuePair<string, string>("gateway", "gw-7"), points.Single().Tags);
    }

    [Theory]
    [InlineData("""{"schema":"edgeops.kpi/2","seq":1,"ts":"2026-11-26T07:00:00.000Z","oee":1}""", "unknown schema version 'edgeops.kpi/2'")]
    [InlineData("""{"schema":"edgeops.state/1","seq":1,"ts":"2026-11-26T07:00:00.000Z","oee":1}""", "a 'kpi' topic carries 'edgeops.kpi/1'")]
    [InlineData("""{"seq":1,"ts":"2026-11-26T07:00:00.000Z","oee":1}""", "no 'schema'")]
    [InlineData("""{"schema":"edgeops.kpi/1","seq":1,"oee":1}""", "no 'ts'")]
    [InlineData("""{"schema":"edgeops.kpi/1","seq":1,"ts":"yesterday","oee":1}""", "not an RFC 3339 time")]
    [InlineData("""{"schema":"edgeops.kpi/1", "oee": """, "not valid JSON")]
    [InlineData("""[1,2]""", "expected an object")]
    [InlineData("""{"schema":"edgeops.kpi/1","seq":1,"ts":"2026-11-26T07:00:00.000Z","oee":1e400}""", "'oee' = 1e400 is outside the range of a float field")]
    [InlineData("""{"schema":"edgeops.kpi/1","seq":1,"ts":"2026-11-26T07:00:00.000Z","a":{"b":-1e999}}""", "is outside the range of a float field")]
    public void BadPayloads_AreInvalid_WithAReasonNamingTheTopic(string json, string expected)
    {
        var (status, points, error) = Map(KpiTopic, json);

        Assert.Equal(MapStatus.Invalid, status);
        Assert.Empty(points);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Contains(KpiTopic, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"7\"")]
    [InlineData("1.5")]
    [InlineData("null")]
    public void Event_WithASeqThatIsNoInteger_IsInvalid_NotACrash(string seq)
    {
        var json = """{"schema":"edgeops.event/1","seq":SEQ,"ts":"2026-11-26T07:00:00.010Z","machine":"m","type":"stopEnded","severity":"info","message":"x","at":"2026-11-26T07:00:00.000Z"}"""
            .Replace("SEQ", seq, StringComparison.Ordinal);

        var (status, points, error) = Map("edgeops/v1/plant1/assembly/line1/press1/events", json);

        Assert.Equal(MapStatus.Invalid, status);
        Assert.Empty(points);
        Assert.Contains("has no integer 'seq'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownTopic_IsInvalid_AndCommandTopics_AreIgnored()
    {
        Assert.Equal(MapStatus.Invalid, Map("edgeops/v1/plant1/assembly/line1/press1/bogus", "{}").Status);
        Assert.Equal(MapStatus.Ignored, Map("edgeops/v1/plant1/assembly/line1/press1/cmd/reason", "{}").Status);
    }
}
