using EdgeOps.Contract.Sparkplug;
using EdgeOps.Publishing.Sparkplug;

namespace EdgeOps.Publishing.Tests;

/// <summary>
/// How a Sparkplug message is stored in the outbox: the layout written now (payload encoded at the front of the stored
/// array, spare bytes for the seq, then topic, session and kind) and the header layouts earlier versions left in outbox
/// files, which must still be read and sent after an upgrade.
/// </summary>
public sealed class SparkplugEnvelopeTests
{
    private const string Topic = "spBv1.0/plant1-assembly/gw1/DDATA/press";

    /// <summary>Today's layout first, then the two earlier ones.</summary>
    internal static readonly string[] LayoutNames = ["trailer", "header with reserve", "header without reserve"];

    public static TheoryData<string> Layouts
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var layout in LayoutNames)
            {
                data.Add(layout);
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void StoredEnvelope_ReadsBackKindSessionTopicAndPayload_WithTheSeqTheSessionGivesAtSend(string layout)
    {
        var payload = Ddata(historical: false);
        var stored = Store(layout, SparkplugEntryKind.DeviceDeath, 7, Topic, payload);

        var envelope = SparkplugEnvelope.Unwrap(stored);

        Assert.Equal(SparkplugEntryKind.DeviceDeath, envelope.Kind);
        Assert.Equal(7, envelope.Session);
        Assert.Equal(Topic, envelope.Topic);
        Assert.Equal(SparkplugCodec.Encode(payload), envelope.Payload.ToArray());
        foreach (var seq in new byte[] { 0, 127, 128, 255 })
        {
            var sent = SparkplugEnvelope.WithSeq(stored, envelope, seq);
            var decoded = SparkplugCodec.Decode(sent);
            Assert.Equal((ulong)seq, decoded.Seq);
            Assert.Equal(payload.Timestamp, decoded.Timestamp);
            Assert.Equal(payload.Metrics.Select(m => (m.Alias, m.Value)), decoded.Metrics.Select(m => (m.Alias, m.Value)));
        }
    }

    [Fact]
    public void Wrap_EncodesIntoTheStoredArray_AndTheSeqIsWrittenIntoItsSpareBytes_NoCopyAtSend()
    {
        var payload = Ddata(historical: false);
        var stored = SparkplugEnvelope.Wrap(SparkplugEntryKind.Data, 3, Topic, payload);

        var envelope = SparkplugEnvelope.Unwrap(stored);
        var sent = SparkplugEnvelope.WithSeq(stored, envelope, 200);

        Assert.Same(stored, sent.Array);
        Assert.Equal(0, sent.Offset);
        Assert.Equal(SparkplugCodec.Size(payload) + 3, sent.Count);
        Assert.Equal(SparkplugCodec.Encode(payload with { Seq = 200 }), sent.ToArray());
    }

    [Fact]
    public void Wrap_EmptyPayload_IsStoredInTheHeaderLayout_AndReadBack()
    {
        var stored = SparkplugEnvelope.Wrap(SparkplugEntryKind.DeviceDeath, 2, Topic, new SparkplugPayload());

        var envelope = SparkplugEnvelope.Unwrap(stored);

        Assert.Equal((SparkplugEntryKind.DeviceDeath, 2, Topic, 0), (envelope.Kind, envelope.Session, envelope.Topic, envelope.Payload.Length));
        Assert.Equal(9UL, SparkplugCodec.Decode(SparkplugEnvelope.WithSeq(stored, envelope, 9)).Seq);
    }

    /// <summary>A message stored in <paramref name="layout"/>: the header layouts as the two earlier versions wrote them.</summary>
    internal static byte[] Store(string layout, SparkplugEntryKind kind, int session, string topic, SparkplugPayload payload) => layout switch
    {
        "trailer" => SparkplugEnvelope.Wrap(kind, session, topic, payload),
        "header with reserve" => SparkplugEnvelope.WrapHeader(kind, session, topic, SparkplugCodec.Encode(payload), reserve: true),
        _ => SparkplugEnvelope.WrapHeader(kind, session, topic, SparkplugCodec.Encode(payload), reserve: false),
    };

    private static SparkplugPayload Ddata(bool historical) => new()
    {
        Timestamp = 1_795_413_601_000UL,
        Metrics =
        [
            new SparkplugMetric { Alias = 12, Timestamp = 1_795_413_601_000UL, DataType = SparkplugDataType.Int64, Value = SparkplugValue.Integer(SparkplugDataType.Int64, 4711), IsHistorical = historical },
            new SparkplugMetric { Alias = 13, Timestamp = 1_795_413_601_000UL, DataType = SparkplugDataType.String, Value = SparkplugValue.String("running"), IsHistorical = historical },
        ],
    };
}
