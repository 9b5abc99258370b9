using EdgeOps.OpcUa.Encoding;
using EdgeOps.OpcUa.Services;
using EdgeOps.OpcUa.Types;

namespace EdgeOps.OpcUa.Tests.Encoding;

/// <summary>
/// The subscription hot path: a PublishResponse's data changes decode into a pooled array of flat structs, numbers
/// held inline in the Variant, so the cost per value is no allocation at all (only a few objects per message).
/// </summary>
public sealed class PublishDecodeAllocationTests
{
    [Fact]
    public void DecodingAThousandNumericChanges_AllocatesOnlyPerMessage_AndKeepsEveryValue()
    {
        var random = new RandomValues(11);
        var now = DateTime.UtcNow;
        var items = Enumerable.Range(0, 1000).Select(i => ((uint)i, (i % 3) switch
        {
            0 => new DataValue(Variant.From((uint)(i * 7))) { SourceTimestamp = now, ServerTimestamp = now },
            1 => new DataValue(Variant.From(i * 0.5)) { SourceTimestamp = now, Status = StatusCode.BadTimeout },
            _ => new DataValue(Variant.From(i % 2 == 0)) { ServerTimestamp = now },
        })).ToList();
        var message = ServiceMessages.PublishResponse(random, 5, items);

        Decode(message).Release(); // warm up: static tables, the array pool's bucket
        var before = GC.GetAllocatedBytesForCurrentThread();
        var change = Decode(message);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(1000, change.Count);
        var values = change.MonitoredItems.ToArray();
        change.Release();
        // Before the flat structs this was about 150 bytes per value (150 KB here).
        Assert.True(allocated < 4096, $"{allocated} bytes for 1,000 values");
        for (var i = 0; i < items.Count; i++)
        {
            var (handle, expected) = items[i];
            Assert.Equal(handle, values[i].ClientHandle);
            Assert.Equal(expected, values[i].ToDataValue());
        }

        Assert.True(values[1].Value.TryGetDouble(out var half) && half == 0.5);
        Assert.True(values[3].Value.TryGetDouble(out var uint21) && uint21 == 21);
        Assert.Equal(21u, values[3].Value.Value);
        Assert.Equal(0, change.Count); // released: empty
    }

    private static DataChangeNotification Decode(byte[] message)
    {
        var reader = new UaBinaryReader(message);
        var response = (PublishResponse)ResponseDecoders.Decode(ref reader);
        return (DataChangeNotification)response.Message.NotificationData[0].Body!;
    }
}
