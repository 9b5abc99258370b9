using EdgeOps.Ingest;

namespace EdgeOps.Ingest.Tests.Influx;

public sealed class LineProtocolTests
{
    [Fact]
    public void Point_WithCommasSpacesEqualsAndQuotes_IsEscapedPerLineProtocol()
    {
        var point = new InfluxPoint("my meas,x",
            [new("machine", "press 1,a=b"), new("site", "plant")],
            [new("state label", InfluxFieldValue.FromString("say \"hi\" \\ now")), new("oee", InfluxFieldValue.FromDouble(0.1))],
            1_700_000_000_123_000_000);

        Assert.Equal("my\\ meas\\,x,machine=press\\ 1\\,a\\=b,site=plant state\\ label=\"say \\\"hi\\\" \\\\ now\",oee=0.1 1700000000123000000",
            point.ToLineProtocol());
    }

    [Fact]
    public void Point_WithNewlineInValues_StaysOneLine()
    {
        var point = new InfluxPoint("kpi", [new("machine", "a\nb")], [new("msg", InfluxFieldValue.FromString("x\ny"))], 1);

        Assert.DoesNotContain('\n', point.ToLineProtocol());
    }

    [Fact]
    public void Point_WithEmptyTagValue_LeavesTheTagOut()
    {
        var point = new InfluxPoint("kpi", [new("machine", "m1"), new("reason", "")], [new("oee", InfluxFieldValue.FromDouble(1))], 5);

        Assert.Equal("kpi,machine=m1 oee=1 5", point.ToLineProtocol());
    }

    [Fact]
    public void FieldValues_OfEveryKind_UseTheirSuffixes()
    {
        var point = new InfluxPoint("m", [], [
            new("f", InfluxFieldValue.FromDouble(1.5e-7)),
            new("i", InfluxFieldValue.FromInteger(-42)),
            new("b", InfluxFieldValue.FromBoolean(true)),
        ], 9);

        Assert.Equal("m f=1.5E-07,i=-42i,b=true 9", point.ToLineProtocol());
    }

    [Fact]
    public void RetryDelay_HonoursRetryAfter_OverBackoff()
    {
        Assert.Equal(TimeSpan.FromSeconds(7), RetryDelay.Next(0, TimeSpan.FromSeconds(7), 0.5));
        Assert.Equal(RetryDelay.MaxRetryAfter, RetryDelay.Next(0, TimeSpan.FromDays(1), 0.5));
        Assert.True(RetryDelay.Next(3, null, 0.5) > RetryDelay.Next(1, null, 0.5));
        Assert.Equal(RetryDelay.Max, RetryDelay.Next(40, null, 1));
    }
}
