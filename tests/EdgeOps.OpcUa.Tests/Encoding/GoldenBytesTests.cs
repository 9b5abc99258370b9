using EdgeOps.OpcUa.Encoding;
using EdgeOps.OpcUa.Types;

namespace EdgeOps.OpcUa.Tests.Encoding;

/// <summary>Byte sequences given as examples in OPC UA Part 6 §5.2 (and the fact sheet's ReadRequest id).</summary>
public sealed class GoldenBytesTests
{
    private static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", string.Empty, StringComparison.Ordinal));

    private static byte[] Encode(Action<UaBinaryWriter> write)
    {
        var writer = new UaBinaryWriter();
        write(writer);
        return writer.ToArray();
    }

    [Fact]
    public void Int32_1000000000_IsSpecExample() =>
        Assert.Equal(Hex("00 CA 9A 3B"), Encode(w => w.WriteInt32(1_000_000_000)));

    [Fact]
    public void Float_Minus6Point5_IsSpecExample() =>
        Assert.Equal(Hex("00 00 D0 C0"), Encode(w => w.WriteFloat(-6.5f)));

    [Fact]
    public void String_WaterBoy_IsSpecExample()
    {
        var bytes = Hex("06 00 00 00 E6 B0 B4 42 6F 79");
        Assert.Equal(bytes, Encode(w => w.WriteString("水Boy")));
        var reader = new UaBinaryReader(bytes);
        Assert.Equal("水Boy", reader.ReadString());
    }

    [Fact]
    public void Guid_IsSpecExample()
    {
        var guid = Guid.Parse("72962B91-FA75-4AE6-8D28-B404DC7DAF63");
        var bytes = Hex("91 2B 96 72 75 FA E6 4A 8D 28 B4 04 DC 7D AF 63");
        Assert.Equal(bytes, Encode(w => w.WriteGuid(guid)));
        var reader = new UaBinaryReader(bytes);
        Assert.Equal(guid, reader.ReadGuid());
    }

    [Theory]
    [InlineData("i=72", "00 48")]
    [InlineData("ns=5;i=1025", "01 05 01 04")]
    [InlineData("ns=1;s=Hot水", "03 01 00 06 00 00 00 48 6F 74 E6 B0 B4")]
    [InlineData("ns=4;g=72962b91-fa75-4ae6-8d28-b404dc7daf63", "04 04 00 91 2B 96 72 75 FA E6 4A 8D 28 B4 04 DC 7D AF 63")]
    [InlineData("i=631", "01 00 77 02")]
    [InlineData("ns=300;i=70000", "02 2C 01 70 11 01 00")]
    public void NodeId_Forms_AreSpecExamples(string text, string hex)
    {
        var bytes = Hex(hex);
        Assert.Equal(bytes, Encode(w => w.WriteNodeId(NodeId.Parse(text))));
        var reader = new UaBinaryReader(bytes);
        Assert.Equal(NodeId.Parse(text), reader.ReadNodeId());
    }

    [Fact]
    public void ExpandedNodeId_WithNamespaceUriAndServerIndex_SetsBothFlags()
    {
        var value = new ExpandedNodeId(NodeId.FromNumeric(72), "urn:x", 2);
        var bytes = Encode(w => w.WriteExpandedNodeId(value));
        Assert.Equal(Hex("C0 48 05 00 00 00 75 72 6E 3A 78 02 00 00 00"), bytes);
        var reader = new UaBinaryReader(bytes);
        Assert.Equal(value, reader.ReadExpandedNodeId());
    }

    [Fact]
    public void Variant_Int32Matrix_EncodesDimensionsAfterValues()
    {
        var value = new Variant(BuiltInType.Int32, new[] { 1, 2, 3, 4, 5, 6 }, [2, 3]);
        var expected = Hex("C6 06 00 00 00 01 00 00 00 02 00 00 00 03 00 00 00 04 00 00 00 05 00 00 00 06 00 00 00 02 00 00 00 02 00 00 00 03 00 00 00");
        Assert.Equal(expected, Encode(w => w.WriteVariant(value)));
    }

    [Fact]
    public void DataValue_WireOrder_PicosecondsFollowTheirTimestamp()
    {
        var source = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var value = new DataValue(Variant.From(true)) { SourceTimestamp = source, SourcePicoseconds = 7, ServerTimestamp = source };
        var bytes = Encode(w => w.WriteDataValue(value));
        var ticks = BitConverter.GetBytes(source.ToFileTimeUtc());
        byte[] expected = [0x1D, 0x01, 0x01, .. ticks, 0x07, 0x00, .. ticks];
        Assert.Equal(expected, bytes);
    }

    [Fact]
    public void DiagnosticInfo_WireOrder_LocaleBeforeLocalizedText()
    {
        var value = new DiagnosticInfo { Locale = 1, LocalizedText = 2 };
        Assert.Equal(Hex("0C 01 00 00 00 02 00 00 00"), Encode(w => w.WriteDiagnosticInfo(value)));
    }

    [Fact]
    public void Variant_MatrixWhoseDimensionsDoNotMatch_IsDecodingError()
    {
        var bytes = Hex("C6 02 00 00 00 01 00 00 00 02 00 00 00 02 00 00 00 02 00 00 00 03 00 00 00");
        var ex = Assert.Throws<UaDecodingException>(() =>
        {
            var reader = new UaBinaryReader(bytes);
            reader.ReadVariant();
        });
        Assert.Equal(StatusCode.BadDecodingError, ex.Status);
        Assert.Contains("ArrayDimensions", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void String_LongerThanLimit_IsLimitErrorBeforeAllocating()
    {
        var bytes = Hex("FF FF FF 7F");
        var ex = Assert.Throws<UaDecodingException>(() =>
        {
            var reader = new UaBinaryReader(bytes);
            reader.ReadString();
        });
        Assert.Equal(StatusCode.BadEncodingLimitsExceeded, ex.Status);
    }

    [Fact]
    public void DiagnosticInfo_NestedDeeperThanCap_IsLimitError()
    {
        var bytes = Enumerable.Repeat((byte)0x40, 10_000).Append((byte)0).ToArray();
        var ex = Assert.Throws<UaDecodingException>(() =>
        {
            var reader = new UaBinaryReader(bytes);
            reader.ReadDiagnosticInfo();
        });
        Assert.Equal(StatusCode.BadEncodingLimitsExceeded, ex.Status);
    }
}
