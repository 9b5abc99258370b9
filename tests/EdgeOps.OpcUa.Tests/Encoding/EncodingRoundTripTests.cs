using EdgeOps.OpcUa.Encoding;
using EdgeOps.OpcUa.Types;

namespace EdgeOps.OpcUa.Tests.Encoding;

public sealed class EncodingRoundTripTests
{
    public static TheoryData<BuiltInType> AllTypes()
    {
        var data = new TheoryData<BuiltInType>();
        foreach (var t in RandomValues.ScalarTypes)
        {
            data.Add(t);
        }

        return data;
    }

    private static Variant RoundTrip(Variant value)
    {
        var writer = new UaBinaryWriter();
        writer.WriteVariant(value);
        var reader = new UaBinaryReader(writer.WrittenSpan);
        var decoded = reader.ReadVariant();
        Assert.Equal(0, reader.Remaining);
        return decoded;
    }

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void Variant_ScalarOfEveryBuiltInType_RoundTrips(BuiltInType type)
    {
        var random = new RandomValues((int)type);
        for (var i = 0; i < 200; i++)
        {
            var value = new Variant(type, random.Scalar(type));
            Assert.Equal(value, RoundTrip(value));
        }
    }

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void Variant_ArrayAndMatrixOfEveryBuiltInType_RoundTrip(BuiltInType type)
    {
        var random = new RandomValues(100 + (int)type);
        for (var i = 0; i < 50; i++)
        {
            var array = new Variant(type, random.Array(type, random.Random.Next(0, 8), 0));
            Assert.Equal(array, RoundTrip(array));
            var matrix = new Variant(type, random.Array(type, 6, 0), [2, 3]);
            var decoded = RoundTrip(matrix);
            Assert.Equal(matrix, decoded);
            Assert.Equal([2, 3], decoded.ArrayDimensions);
        }
    }

    [Fact]
    public void Variant_ArrayOfVariants_RoundTrips()
    {
        var random = new RandomValues(7);
        var items = Enumerable.Range(0, 20).Select(_ => random.Variant()).ToArray();
        var value = new Variant(BuiltInType.Variant, items);
        Assert.Equal(value, RoundTrip(value));
    }

    [Fact]
    public void DataValue_AllMaskCombinations_RoundTrip()
    {
        var random = new RandomValues(11);
        for (var i = 0; i < 500; i++)
        {
            var value = random.DataValue();
            var writer = new UaBinaryWriter();
            writer.WriteDataValue(value);
            var reader = new UaBinaryReader(writer.WrittenSpan);
            var decoded = reader.ReadDataValue();
            Assert.Equal(value.Value, decoded.Value);
            Assert.Equal(value.Status, decoded.Status);
            Assert.Equal(value.SourceTimestamp, decoded.SourceTimestamp);
            Assert.Equal(value.ServerTimestamp, decoded.ServerTimestamp);
            Assert.Equal(value.SourcePicoseconds, decoded.SourcePicoseconds);
            Assert.Equal(value.ServerPicoseconds, decoded.ServerPicoseconds);
        }
    }

    [Fact]
    public void DiagnosticInfo_Nested_RoundTrips()
    {
        var random = new RandomValues(12);
        for (var i = 0; i < 300; i++)
        {
            var value = random.DiagnosticInfo();
            var writer = new UaBinaryWriter();
            writer.WriteDiagnosticInfo(value);
            var reader = new UaBinaryReader(writer.WrittenSpan);
            Assert.Equal(value, reader.ReadDiagnosticInfo());
        }
    }

    [Theory]
    [InlineData("i=85")]
    [InlineData("ns=2;s=Plc.PartCount")]
    [InlineData("ns=300;i=70000")]
    [InlineData("ns=4;g=72962b91-fa75-4ae6-8d28-b404dc7daf63")]
    [InlineData("ns=1;b=AQID")]
    public void NodeId_TextForm_ParsesAndPrintsBack(string text)
    {
        var id = NodeId.Parse(text);
        Assert.Equal(text, id.ToString());
        var writer = new UaBinaryWriter();
        writer.WriteNodeId(id);
        var reader = new UaBinaryReader(writer.WrittenSpan);
        Assert.Equal(id, reader.ReadNodeId());
    }

    [Theory]
    [InlineData("ns=x;i=1", "namespace index")]
    [InlineData("i=-1", "numeric identifier")]
    [InlineData("q=1", "unknown identifier type")]
    [InlineData("", "empty")]
    public void NodeId_BadText_ErrorNamesTheText(string text, string reason)
    {
        var ex = Assert.Throws<FormatException>(() => NodeId.Parse(text));
        Assert.Contains($"'{text}'", ex.Message, StringComparison.Ordinal);
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DateTime_OpenEnds_ClampBothWays()
    {
        var writer = new UaBinaryWriter();
        writer.WriteInt64(long.MaxValue);
        writer.WriteInt64(long.MaxValue - 5);
        writer.WriteInt64(0);
        writer.WriteInt64(-42);
        var reader = new UaBinaryReader(writer.WrittenSpan);
        Assert.Equal(DateTime.MaxValue, reader.ReadDateTime());
        Assert.Equal(DateTime.MaxValue, reader.ReadDateTime());
        Assert.Equal(DateTime.MinValue, reader.ReadDateTime());
        Assert.Equal(DateTime.MinValue, reader.ReadDateTime());
    }

    [Fact]
    public void ExtensionObject_UnknownType_KeepsRawBytes()
    {
        var body = new byte[] { 1, 2, 3, 4, 5 };
        var value = new ExtensionObject(NodeId.FromNumeric(9999, 3), ExtensionObjectEncoding.Binary, body);
        var writer = new UaBinaryWriter();
        writer.WriteExtensionObject(value);
        var reader = new UaBinaryReader(writer.WrittenSpan);
        var decoded = reader.ReadExtensionObject();
        Assert.Equal(NodeId.FromNumeric(9999, 3), decoded.TypeId);
        Assert.Equal(body, decoded.RawBody);
        Assert.Null(decoded.Body);
    }

    [Fact]
    public void ExtensionObject_KnownTypeWithBrokenBody_KeepsRawBytesAndSaysWhy()
    {
        // DataChangeNotification (811) whose body claims 1000 items in 4 bytes.
        var writer = new UaBinaryWriter();
        writer.WriteNodeId(NodeId.FromNumeric(811));
        writer.WriteByte(1);
        writer.WriteInt32(4);
        writer.WriteInt32(1000);
        writer.WriteInt32(7); // the next field after the object still decodes
        var reader = new UaBinaryReader(writer.WrittenSpan);
        var decoded = reader.ReadExtensionObject();
        Assert.NotNull(decoded.DecodeError);
        Assert.Equal(4, decoded.RawBody!.Length);
        Assert.Equal(7, reader.ReadInt32());
    }
}
