using System.Diagnostics.Metrics;
using EdgeOps.Core.Signals;

namespace EdgeOps.Gateway.Metrics;

/// <summary>
/// The sources' instruments on the <see cref="GatewayMeter"/>: signals per source, good and bad inputs per source (an OPC UA
/// source's items), and GPIO edges and pulses per input.
/// </summary>
public sealed class SourceMetrics
{
    /// <summary>Creates the observable instruments on <paramref name="meters"/>' <see cref="GatewayMeter"/> (the host disposes it).</summary>
    public SourceMetrics(IEnumerable<ISignalSource> sources, SourceStatistics statistics, IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(GatewayMeter.Name);
        ArgumentNullException.ThrowIfNull(statistics);
        var list = sources.ToList();
        meter.CreateObservableCounter("edgeops.source.signals",
            () => statistics.Sources.Select(s => new Measurement<long>(s.Value.Signals, new KeyValuePair<string, object?>("source", s.Key))),
            "{signal}", "Signals each source delivered to the engine (rate() gives signals/s per source).");
        meter.CreateObservableGauge("edgeops.source.items",
            () => statistics.Sources.SelectMany(s => new[]
            {
                new Measurement<int>(s.Value.GoodItems, new("source", s.Key), new("quality", "good")),
                new Measurement<int>(s.Value.BadItems, new("source", s.Key), new("quality", "bad")),
            }),
            "{item}", "Inputs per source whose last value was good or bad (an OPC UA source's good and bad items).");
        var gpio = list.OfType<EdgeOps.Sources.Gpio.GpioSource>().SelectMany(g => g.Inputs).ToList();
        if (gpio.Count > 0)
        {
            meter.CreateObservableCounter("edgeops.gpio.edges",
                () => gpio.Select(i => new Measurement<long>(i.RawEdges, new KeyValuePair<string, object?>("signal", i.Spec.Key))),
                "{edge}", "Raw edges seen per GPIO input, before debounce (rate() gives edges/s; far above pulses means a bouncing contact).");
            meter.CreateObservableCounter("edgeops.gpio.pulses",
                () => gpio.Select(i => new Measurement<long>(i.Pulses, new KeyValuePair<string, object?>("signal", i.Spec.Key))),
                "{pulse}", "Debounced pulses counted per GPIO input.");
        }
    }
}
