using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using EdgeOps.OpcUa.Encoding;
using EdgeOps.OpcUa.Services;
using EdgeOps.OpcUa.Types;

namespace EdgeOps.Benchmarks.OpcUa;

/// <summary>Decoding cost of a PublishResponse carrying 1,000 data changes (UInt32 with both timestamps): the client's hot path.</summary>
[Config(typeof(ShortInProcess))]
[MemoryDiagnoser]
public class PublishDecodeBenchmarks
{
    /// <summary>Short job, in process: the generated project would inherit the repo's warnings-as-errors analyzers.</summary>
    private sealed class ShortInProcess : ManualConfig
    {
        public ShortInProcess() => AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance));
    }

    private byte[] _message = [];

    [GlobalSetup]
    public void Setup()
    {
        var w = new UaBinaryWriter();
        w.WriteNodeId(NodeId.FromNumeric(PublishResponse.EncodingId));
        w.WriteDateTime(DateTime.UtcNow);
        w.WriteUInt32(1);
        w.WriteStatusCode(StatusCode.Good);
        w.WriteDiagnosticInfo(null);
        w.WriteInt32(-1);
        w.WriteExtensionObject(null);
        w.WriteUInt32(1);
        w.WriteArray([1u], static (x, n) => x.WriteUInt32(n));
        w.WriteBoolean(false);
        w.WriteUInt32(1);
        w.WriteDateTime(DateTime.UtcNow);
        w.WriteInt32(1);
        w.WriteNodeId(NodeId.FromNumeric(DataChangeNotification.EncodingId));
        w.WriteByte(1);
        var at = w.Position;
        w.WriteInt32(0);
        w.WriteInt32(1000);
        for (var i = 0; i < 1000; i++)
        {
            w.WriteUInt32((uint)i);
            w.WriteDataValue(new DataValue(Variant.From((uint)(i * 7))) { SourceTimestamp = DateTime.UtcNow, ServerTimestamp = DateTime.UtcNow });
        }

        w.WriteInt32(-1);
        w.PatchUInt32(at, (uint)(w.Position - at - 4));
        w.WriteInt32(-1);
        w.WriteInt32(-1);
        _message = w.ToArray();
    }

    [Benchmark(Description = "Decode PublishResponse, 1,000 values")]
    public int Decode()
    {
        var reader = new UaBinaryReader(_message);
        var response = (PublishResponse)ResponseDecoders.Decode(ref reader);
        var change = (DataChangeNotification)response.Message.NotificationData[0].Body!;
        var count = change.Count;
        change.Release(); // as the client does once the values are delivered
        return count;
    }
}
