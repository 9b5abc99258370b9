using System.Globalization;
using System.Text;
using EdgeOps.Ingest;

namespace EdgeOps.Ingest.Tests.Mapping;

/// <summary>The byte-level fast path must give exactly the lines of <see cref="ContractPointMapper"/>, or decline.</summary>
public sealed class ContractLineFastPathTests
{
    private const string Machine = "edgeops/v1/plant1/assembly/line1/press1/";

    /// <summary>The payloads of the mapping tests, the benchmark's kpi, and the corners of the mapping.</summary>
    public static TheoryData<string, string> Samples => new()
    {
        { Machine + "kpi", """{"schema":"edgeops.kpi/1","seq":12,"ts":"2026-11-26T07:00:01.250Z","machine":"press1","oee":0.61,"stale":false,"throughput":{"perHour1m":118.5},"downtime":{"totalS":360,"byReason":[{"code":"jam","label":"Jam","seconds":240,"count":2}]}}""" },
        { Machine + "kpi", """{"schema":"edgeops.kpi/1","seq":7,"ts":"2026-11-26T07:00:00.000Z","machine":"m-7","coverage":1,"stale":false,"oee":0.507,"availability":0.9,"performance":0.95,"quality":0.98,"plannedProductionTimeS":3600,"runTimeS":3240,"throughput":{"perHour1m":118,"perHour15m":121.5,"perHourShift":120.25},"idealCycleTimeS":25,"downtime":{"totalS":360,"stopCount":3,"microStopCount":7,"microStopS":95.5,"byReason":[{"code":"jam","label":"Jam","seconds":240,"count":2},{"code":"starved","label":"Starved","seconds":120,"count":1}]},"capacity":{"theoreticalOutput":144,"targetOutput":130,"projectedOutput":125,"utilization":0.9}}""" },
        { Machine + "state", """{"schema":"edgeops.state/1","seq":3,"ts":"2026-11-26T07:00:01.000Z","machine":"press1","state":"down","reasonCode":"jam","reasonLabel":"Jam","since":"2026-11-26T06:58:00.000Z"}""" },
        { Machine + "condition/vibration", """{"schema":"edgeops.condition/1","seq":1,"ts":"2026-11-26T07:00:00.000Z","sourceTs":"2026-11-26T06:59:59.800Z","machine":"press1","signal":"vibration","rms":2.5,"zone":"B"}""" },
        { Machine + "maintenance", """{"schema":"edgeops.maintenance/1","seq":4,"ts":"2026-11-26T07:00:00.000Z","machine":"press1","runHours":12.5,"cycles":900,"starts":3,"items":[{"item":"lubrication","level":"due","progress":1.02,"runHours":12.5,"cycles":900,"starts":3,"everyHours":12,"lastResetBy":"j.doe"}]}""" },
        { Machine + "alarms", """{"schema":"edgeops.alarms/1","seq":2,"ts":"2026-11-26T07:00:00.000Z","machine":"press1","active":[{"signal":"vibration","alarm":"zone-c","severity":"critical","feature":"velocityRms","value":3.1,"threshold":2.8,"since":"2026-11-26T06:59:00.000Z"}]}""" },
        { "edgeops/v1/s/a/l/m/events", """{"schema":"edgeops.event/1","seq":41,"ts":"2026-11-26T07:00:00.010Z","machine":"m","type":"stopEnded","severity":"info","message":"x","at":"2026-11-26T07:00:00.000Z","durationS":30}""" },
        { "edgeops/v1/s/a/l/m/events", """{"schema":"edgeops.event/1.3","seq":1000042,"ts":"2026-11-26T07:00:00.010Z","machine":"m","signal":"vibration","type":"alarmRaised","reason":{"code":"zone-c","label":"Zone C"},"durationS":null}""" },
        { "edgeops/v1/plant1/_gateways/gw-7/status", """{"schema":"edgeops.status/1","seq":1,"ts":"2026-11-26T07:00:00.000Z","gatewayId":"gw-7","state":"online","uptimeS":12}""" },
        { Machine + "counts", """{"schema":"edgeops.counts/1","seq":9,"ts":"2026-11-26T07:00:00.5+01:00","machine":"press1","good":1e3,"bad":-0.000001,"total":12345678901234,"byShift":[1,2.5,null,true,"x"],"reason":"changeover"}""" },
        { Machine + "shift", """{"schema":"edgeops.shift/1","seq":1,"ts":"2026-11-26T07:00:00.000Z","machine":"press1","name":"early, A=1","note":"line\nbreak \"quoted\" back\\slash","weird key":1,"trail\\":2,"stops":[{"label":"no code"},{"reasonCode":"rc","n":1},{"reason":"r","n":2},{"reason":{"code":"c"},"n":3},{"code":"","n":4},{"item":"x","code":"y","n":5}]}""" },
        { Machine + "condition/temp", """{"schema":"edgeops.condition/1","seq":1,"ts":"2026-11-26T07:00:00.000Z","machine":"press1","bands":[{"signal":"other","alarm":"hot","v":1}],"levels":[{"x":{"y":2},"z":[3,4]}]}""" },
        { Machine + "state", """{"schema":"edgeops.state/1","seq":3,"ts":"2026-11-26T07:00:01.000Z","state":"runnin\u0067","reasonCode":"j\"am"}""" },
        { Machine + "kpi", """{"schema":"edgeops.kpi/1","seq":1,"ts":"2026-11-26T07:00:00.000Z","oee":1,"oee":2}""" },
        { Machine + "state", """{"schema":"edgeops.state/1","ts":"2026-11-26T07:00:01.000Z","reasonCode":"","state":"idle"}""" },
    };

    public static TheoryData<string, string> BadPayloads => new()
    {
        { Machine + "kpi", """{"schema":"edgeops.kpi/2","seq":1,"ts":"2026-11-26T07:00:00.000Z","oee":1}""" },
        { Machine + "kpi", """{"schema":"edgeops.state/1","seq":1,"ts":"2026-11-26T07:00:00.000Z","oee":1}""" },
        { Machine + "kpi", """{"seq":1,"ts":"2026-11-26T07:00:00.000Z","oee":1}""" },
        { Machine + "kpi", """{"schema":"edgeops.kpi/1","seq":1,"oee":1}""" },
        { Machine + "kpi", """{"schema":"edgeops.kpi/1","seq":1,"ts":"yesterday","oee":1}""" },
        { Machine + "kpi", """{"schema":"edgeops.kpi/1", "oee": """ },
        { Machine + "kpi", """{"schema":"edgeops.kpi/1","seq":1,"ts":"2026-11-26T07:00:00.000Z","oee":1} x""" },
        { Machine + "kpi", """[1,2]""" },
        { Machine + "kpi", """{"schema":"edgeops.kpi/1","ts":"2026-11-26T07:00:00.000Z","machine":"press1"}""" },
        { "edgeops/v1/s/a/l/m/events", """{"schema":"edgeops.event/1","ts":"2026-11-26T07:00:00.010Z","type":"x"}""" },
        { Machine + "bogus", "{}" },
        { Machine + "cmd/reason", "{}" },
    };

    [Theory]
    [MemberData(nameof(Samples))]
    public void FastPath_GivesExactlyTheLinesOfTheFullMapper_OrDeclines(string topic, string json)
    {
        var payload = Encoding.UTF8.GetBytes(json);
        var points = new List<InfluxPoint>();
        var status = ContractPointMapper.Map(topic, payload, points, out var error);
        Assert.True(status == MapStatus.Mapped, error);
        var expected = points.Select(p => p.ToLineProtocol()).ToList();

        var lines = new LineBatch();
        lines.Add("earlier line");
        if (ContractLineFastPath.TryMap(topic, payload, lines))
        {
            Assert.Equal(expected, lines.ToStrings(1, lines.Count - 1));
        }
        else
        {
            Assert.Equal(["earlier line"], lines.ToStrings(0, lines.Count));
        }
    }

    [Theory]
    [InlineData("kpi")]
    [InlineData("state")]
    [InlineData("counts")]
    [InlineData("events")]
    public void HotKinds_TakeTheFastPath(string kind)
    {
        var json = kind switch
        {
            "kpi" => """{"schema":"edgeops.kpi/1","seq":12,"ts":"2026-11-26T07:00:01.250Z","machine":"press1","oee":0.61,"downtime":{"totalS":360,"byReason":[{"code":"jam","label":"Jam","seconds":240,"count":2}]}}""",
            "state" => """{"schema":"edgeops.state/1","seq":3,"ts":"2026-11-26T07:00:01.000Z","machine":"press1","state":"down","reasonCode":"jam"}""",
            "counts" => """{"schema":"edgeops.counts/1","seq":9,"ts":"2026-11-26T07:00:00.000Z","machine":"press1","good":10,"bad":1}""",
            _ => """{"schema":"edgeops.event/1","seq":41,"ts":"2026-11-26T07:00:00.010Z","machine":"press1","type":"stopEnded","at":"2026-11-26T07:00:00.000Z"}""",
        };
        var topic = Machine + kind;
        var payload = Encoding.UTF8.GetBytes(json);
        var points = new List<InfluxPoint>();
        Assert.Equal(MapStatus.Mapped, ContractPointMapper.Map(topic, payload, points, out _));

        var lines = new LineBatch();
        Assert.True(ContractLineFastPath.TryMap(topic, payload, lines));
        Assert.Equal(points.Select(p => p.ToLineProtocol()), lines.ToStrings(0, lines.Count));
    }

    [Theory]
    [MemberData(nameof(BadPayloads))]
    public void BadPayloads_AreDeclined_SoTheFullMapperGivesTheErrorAndTheDeadLetter(string topic, string json)
    {
        var lines = new LineBatch();
        Assert.False(ContractLineFastPath.TryMap(topic, Encoding.UTF8.GetBytes(json), lines));
        Assert.Equal(0, lines.Count);
        Assert.NotEqual(MapStatus.Mapped, ContractPointMapper.Map(topic, Encoding.UTF8.GetBytes(json), [], out _));
    }

    [Fact]
    public void Numbers_OfEveryShape_GiveTheFullMappersText()
    {
        // Fixed seed: the same numbers every run. Shapes around where "R" changes notation or loses digits.
        var random = new Random(6);
        var texts = new List<string>
        {
            "0", "-0", "0.5", "-0.5", "1.0", "1.50", "0.0001", "0.00001", "0.000123", "0.0000123", "1e3", "1E-5", "-1.5e+2",
            "100000000000000", "999999999999999", "1000000000000000", "123456789012345", "1234567890123456", "0.123456789012345",
            "0.1234567890123456", "12345678.9012345", "12345678.90123456", "9007199254740993", "0.30000000000000004", "5e-324",
        };
        for (var n = 0; n < 3000; n++)
        {
            var intPart = random.Next(4) switch
            {
                0 => "0",
                1 => random.Next(1, 10).ToString(CultureInfo.InvariantCulture),
                2 => random.NextInt64(1, 1_000_000_000).ToString(CultureInfo.InvariantCulture),
                _ => random.NextInt64(100_000_000_000_000, long.MaxValue).ToString(CultureInfo.InvariantCulture)[..random.Next(14, 19)],
            };
            var fraction = random.Next(3) == 0 ? string.Empty
                : "." + new string('0', random.Next(0, 6)) + random.NextInt64(1, long.MaxValue).ToString(CultureInfo.InvariantCulture)[..random.Next(1, 18)];
            texts.Add((random.Next(2) == 0 ? "-" : string.Empty) + intPart + fraction);
        }

        foreach (var text in texts)
        {
            var topic = Machine + "counts";
            var payload = Encoding.UTF8.GetBytes("""{"schema":"edgeops.counts/1","ts":"2026-11-26T07:00:00.000Z","v":""" + text + "}");
            var points = new List<InfluxPoint>();
            Assert.Equal(MapStatus.Mapped, ContractPointMapper.Map(topic, payload, points, out _));
            var lines = new LineBatch();
            Assert.True(ContractLineFastPath.TryMap(topic, payload, lines), text);
            Assert.Equal(points.Single().ToLineProtocol(), Assert.Single(lines.ToStrings(0, lines.Count)));
        }
    }
}
