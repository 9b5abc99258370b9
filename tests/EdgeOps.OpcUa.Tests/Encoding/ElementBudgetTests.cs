using EdgeOps.OpcUa.Encoding;
using EdgeOps.OpcUa.Types;

namespace EdgeOps.OpcUa.Tests.Encoding;

/// <summary>
/// Issue 14, hardening: one element budget per message (<see cref="DecodingLimits.MaxElementsPerMessage"/>), shared by
/// arrays nested in arrays, variants and extension objects, so a message can no longer multiply the per-array limit by
/// nesting arrays in it.
/// </summary>
public sealed class ElementBudgetTests
{
    private static readonly DecodingLimits Small = new() { MaxArrayLength = 1000, MaxElementsPerMessage = 1000 };

    [Fact]
    public void NestedArrays_ShareOneBudget_NotOnePerArray()
    {
        // An array of 2 variants, each an array of n null strings: 2 + 2n elements in all.
        var fits = NestedStringArrays(outer: 2, inner: 499);
        var reader = new UaBinaryReader(fits, Small);
        var value = reader.ReadVariant();
        Assert.Equal(2, ((Variant[])value.Value!).Length);
        Assert.Equal(1000, reader.Elements);

        // One more element in the second inner array: every array is within MaxArrayLength, the message is not.
        var over = NestedStringArrays(outer: 2, inner: 500);
        var ex = Assert.Throws<UaDecodingException>(() => new UaBinaryReader(over, Small).ReadVariant());
        Assert.True(ex.Status.Is(StatusCode.BadEncodingLimitsExceeded), ex.Message);
        Assert.Contains("element budget 1000", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ArraysInsideExtensionObjects_SpendTheMessageBudget_AndFailTheMessage()
    {
        // Three DataChangeNotifications (known type 811) of 400 items, each inside an ExtensionObject in a variant array:
        // each body is fine alone; together they exceed the budget. The breach must fail the message, not be kept as
        // one undecodable structure's raw bytes.
        var w = new UaBinaryWriter();
        w.WriteByte((byte)BuiltInType.ExtensionObject | 0x80);
        w.WriteInt32(3);
        for (var i = 0; i < 3; i++)
        {
            var body = new UaBinaryWriter();
            body.WriteInt32(400);
            for (uint handle = 0; handle < 400; handle++)
            {
                body.WriteUInt32(handle);
                body.WriteByte(0); // DataValue without fields
            }

            body.WriteInt32(-1); // no DiagnosticInfos
            w.WriteNodeId(NodeId.FromNumeric(811));
            w.WriteByte(1);
            w.WriteByteString(body.WrittenSpan);
        }

        var message = w.ToArray();
        var ex = Assert.Throws<UaDecodingException>(() => new UaBinaryReader(message, Small).ReadVariant());
        Assert.True(ex.Status.Is(StatusCode.BadEncodingLimitsExceeded), ex.Message);

        // A budget one notification short still fails; one that covers all three decodes them.
        Assert.Throws<UaDecodingException>(() => new UaBinaryReader(message, Small with { MaxElementsPerMessage = 3 + 1199 }).ReadVariant());
        var roomy = new UaBinaryReader(message, Small with { MaxElementsPerMessage = 3 + 1200 });
        var decoded = (ExtensionObject[])roomy.ReadVariant().Value!;
        Assert.All(decoded, e => Assert.Null(e.DecodeError));
        Assert.Equal(1203, roomy.Elements);
    }

    [Fact]
    public void ProductionLimits_A16MBMessageOfNullDataValues_StopsAtTheBudget_NotAtSixteenMillionObjects()
    {
        // 16 arrays of 1 M one-byte null DataValues: within MaxMessageSize and, each, within MaxArrayLength. Without a
        // message budget that is 16 M DataValue objects from 16 MB of input.
        var limits = DecodingLimits.Default;
        const int arrays = 15;
        var perArray = limits.MaxArrayLength;
        var w = new UaBinaryWriter(arrays * (perArray + 8) + 16);
        w.WriteByte((byte)BuiltInType.Variant | 0x80);
        w.WriteInt32(arrays);
        for (var i = 0; i < arrays; i++)
        {
            w.WriteByte((byte)BuiltInType.DataValue | 0x80);
            w.WriteInt32(perArray);
            w.WriteBytes(new byte[perArray]);
        }

        var message = w.ToArray();
        Assert.True(message.Length <= limits.MaxMessageSize);

        // What one such array costs, for scale.
        var one = new UaBinaryWriter(perArray + 8);
        one.WriteByte((byte)BuiltInType.DataValue | 0x80);
        one.WriteInt32(perArray);
        one.WriteBytes(new byte[perArray]);
        var before = GC.GetAllocatedBytesForCurrentThread();
        _ = new UaBinaryReader(one.WrittenSpan, limits).ReadVariant();
        var perArrayBytes = GC.GetAllocatedBytesForCurrentThread() - before;

        before = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.Throws<UaDecodingException>(() => new UaBinaryReader(message, limits).ReadVariant());
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(ex.Status.Is(StatusCode.BadEncodingLimitsExceeded), ex.Message);
        Assert.Contains($"element budget {limits.MaxElementsPerMessage}", ex.Message, StringComparison.Ordinal);

        // The budget (2 M) admits two of the arrays before the third is refused; without it all fifteen are built.
        Assert.True(allocated < 3 * perArrayBytes, $"allocated {allocated:N0} bytes; one array costs {perArrayBytes:N0}");
    }

    [Fact]
    public void ArraysOfNumbers_DoNotSpendTheBudget()
    {
        // 3 × 1000 doubles: 24 KB of input, 24 KB of memory, no amplification to guard against.
        var w = new UaBinaryWriter();
        w.WriteByte((byte)BuiltInType.Variant | 0x80);
        w.WriteInt32(3);
        for (var i = 0; i < 3; i++)
        {
            w.WriteByte((byte)BuiltInType.Double | 0x80);
            w.WriteInt32(1000);
            w.WriteBytes(new byte[8 * 1000]);
        }

        var reader = new UaBinaryReader(w.WrittenSpan, Small);
        var value = reader.ReadVariant();
        Assert.Equal(3, ((Variant[])value.Value!).Length);
        Assert.Equal(3, reader.Elements);
    }

    private static byte[] NestedStringArrays(int outer, int inner)
    {
        var w = new UaBinaryWriter();
        w.WriteByte((byte)BuiltInType.Variant | 0x80);
        w.WriteInt32(outer);
        for (var i = 0; i < outer; i++)
        {
            w.WriteByte((byte)BuiltInType.String | 0x80);
            w.WriteInt32(inner);
            for (var j = 0; j < inner; j++)
            {
                w.WriteInt32(-1);
            }
        }

        return w.ToArray();
    }
}
