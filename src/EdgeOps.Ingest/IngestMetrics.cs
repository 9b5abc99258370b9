using System.Diagnostics.Metrics;

namespace EdgeOps.Ingest;

/// <summary>
/// The ingest area's instruments on the meter <see cref="MeterName"/> (the historian and the gateway's edge-local writer
/// both have one, made from their host's <see cref="IMeterFactory"/> by <see cref="IngestServiceCollectionExtensions.AddInfluxIngest"/>).
/// </summary>
public sealed class IngestMetrics
{
    /// <summary>The meter of the ingest area (docs/operations.md lists every area's meter).</summary>
    public const string MeterName = "EdgeOps.Ingest";

    private readonly Counter<long> _deadLetters;
    private readonly Histogram<int> _batchSize;
    private readonly Histogram<double> _writeDuration;

    /// <summary>Creates the instruments on <paramref name="meters"/>' meter <see cref="MeterName"/>.</summary>
    public IngestMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(MeterName);
        _deadLetters = meter.CreateCounter<long>("edgeops.influx.dead_letters", "{message}", "Contract messages that did not map");
        // Lines per write request: 1 while the data trickles in, up to InfluxOptions.BatchSize (default 5000) under
        // load or while the spill buffer drains.
        _batchSize = meter.CreateHistogram("edgeops.influx.batch_size", "{line}",
            "Lines InfluxDB accepted in one write request",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000] });
        _writeDuration = meter.CreateHistogram("edgeops.influx.write_duration", "s",
            "Round trip of one accepted InfluxDB write request",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
    }

    internal void DeadLettered() => _deadLetters.Add(1);

    internal void Written(int lines, TimeSpan duration)
    {
        _batchSize.Record(lines);
        _writeDuration.Record(duration.TotalSeconds);
    }
}
