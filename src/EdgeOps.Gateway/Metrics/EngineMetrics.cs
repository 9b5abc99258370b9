using System.Diagnostics.Metrics;
using EdgeOps.Core.Signals;
using EdgeOps.Contract.Metrics;
using EdgeOps.Gateway.Engine;

namespace EdgeOps.Gateway.Metrics;

/// <summary>The engine's and sources' instruments on the shared "EdgeOps" meter, read from what the engine publishes.</summary>
public sealed class EngineMetrics : IDisposable
{
    private readonly Meter _meter = new(PrometheusExporter.MeterName);

    public EngineMetrics(EngineView view, SignalPipe pipe, IEnumerable<ISignalSource> sources)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(pipe);
        var list = sources.ToList();
        _meter.CreateObservableCounter("edgeops.engine.signals", () => view.SignalsProcessed, "{signal}",
            "Signals processed by the engine since start (rate() gives signals/s).");
        _meter.CreateObservableGauge("edgeops.engine.lag", () => pipe.Depth, "{signal}",
            "Signals queued between the sources and the engine.");
        _meter.CreateObservableGauge("edgeops.source.connected",
            () => list.Select(s => new Measurement<int>(s.IsConnected ? 1 : 0, new KeyValuePair<string, object?>("source", s.Name))),
            null, "1 while the source has a live link to its hardware.");
    }

    public void Dispose() => _meter.Dispose();
}
