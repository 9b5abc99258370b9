using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Jobs;
using EdgeOps.Ingest;

namespace EdgeOps.Benchmarks.Historian;

/// <summary>
/// Mapping one contract <c>kpi</c> message (the historian benchmark's, 3 points) to line protocol: the fast path into
/// a <see cref="LineBatch"/> as the historian does, and the full mapper it falls back to. Mean is per message.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RuntimeMoniker.HostProcess, launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class ContractMappingBenchmarks
{
    private const string Topic = "edgeops/v1/plant/area/line/m7/kpi";
    private readonly LineBatch _batch = new(1 << 20);
    private ReadOnlyMemory<byte> _payload;

    [GlobalSetup]
    public void Setup() => _payload = Encoding.UTF8.GetBytes(
        """{"schema":"edgeops.kpi/1","seq":1234,"ts":"2026-11-26T10:00:00.123Z","machine":"m7","coverage":1,"stale":false,"oee":0.537,"availability":0.9,"performance":0.95,"quality":0.98,"plannedProductionTimeS":3600,"runTimeS":3240,"throughput":{"perHour1m":118,"perHour15m":121.5,"perHourShift":120.25},"idealCycleTimeS":25,"downtime":{"totalS":360,"stopCount":3,"microStopCount":4,"microStopS":95.5,"byReason":[{"code":"jam","label":"Jam","seconds":240,"count":2},{"code":"starved","label":"Starved","seconds":120,"count":1}]},"capacity":{"theoreticalOutput":144,"targetOutput":130,"projectedOutput":125,"utilization":0.9}}""");

    [Benchmark(Baseline = true)]
    public int FastPathIntoLineBatch()
    {
        if (_batch.Length > 512 * 1024)
        {
            _batch.Clear();
        }

        return ContractLineFastPath.TryMap(Topic, _payload, _batch) ? _batch.Count : -1;
    }

    [Benchmark]
    public int FullMapper()
    {
        var points = new List<InfluxPoint>(4);
        ContractPointMapper.Map(Topic, _payload, points, out _);
        var builder = new StringBuilder(1024);
        foreach (var point in points)
        {
            point.AppendTo(builder);
            builder.Append('\n');
        }

        return builder.Length;
    }
}
