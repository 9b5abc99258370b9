using System.Text;
using EdgeOps.Ingest;

namespace EdgeOps.Ingest.Tests.Influx;

public sealed class LineBatchTests
{
    [Fact]
    public void Body_OfARange_IsThoseLinesEachEndingInANewline_AndLinesReadBackAsWritten()
    {
        var batch = new LineBatch(256);
        batch.Add("kpi,machine=a oee=0.5 1");
        batch.Add("kpi,machine=b oee=0.7 2"u8);
        batch.Add("events,machine=ü,reason=Stau seq=3i 3");
        for (var i = 0; i < 200; i++)
        {
            batch.Add($"counts,machine=m{i} good={i}i {i}"); // grows the buffer past its first size
        }

        Assert.Equal(203, batch.Count);
        Assert.Equal("kpi,machine=b oee=0.7 2\nevents,machine=ü,reason=Stau seq=3i 3\n", Encoding.UTF8.GetString(batch.Body(1, 2).Span));
        Assert.Equal("events,machine=ü,reason=Stau seq=3i 3", batch[2]);
        Assert.Equal("counts,machine=m199 good=199i 199", batch[202]);
        Assert.Equal(batch.Length, batch.Body(0, batch.Count).Length);
        Assert.Equal(["kpi,machine=a oee=0.5 1", "kpi,machine=b oee=0.7 2"], batch.ToStrings(0, 2));
    }

    [Fact]
    public void Truncate_DropsTheLinesAfterTheCount_AndAddingGoesOnFromThere()
    {
        var batch = new LineBatch(["a x=1 1", "b x=2 2", "c x=3 3"]);

        batch.Truncate(1);
        batch.Add("d x=4 4");

        Assert.Equal("a x=1 1\nd x=4 4\n", Encoding.UTF8.GetString(batch.Body().Span));
        Assert.Throws<ArgumentOutOfRangeException>(() => batch[2]);
    }
}
