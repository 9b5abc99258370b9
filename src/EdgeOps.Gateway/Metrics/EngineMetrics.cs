using System.Diagnostics.Metrics;
using EdgeOps.Core.Signals;
using EdgeOps.Gateway.Engine;

namespace EdgeOps.Gateway.Metrics;

/// <summary>The engine's and sources' instruments on the <see cref="GatewayMeter"/>, read from what the engine publishes.</summary>
public sealed class EngineMetrics
{
    /// <summary>Creates the observable instruments on <paramref name="meters"/>' <see cref="GatewayMeter"/> (the host disposes it).</summary>
    public EngineMetrics(EngineView view, SignalPipe pipe, IEnumerable<ISignalSource> sources, IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(GatewayMeter.Name);
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(pipe);
        var list = sources.ToList();
        meter.CreateObservableCounter("edgeops.engine.signals", () => view.SignalsProcessed, "{signal}",
            "Signals processed by the engine since start (rate() gives signals/s).");
        meter.CreateObservableGauge("edgeops.engine.lag", () => pipe.Depth, "{signal}",
            "Signals queued between the sources and the engine.");
        meter.CreateObservableGauge("edgeops.source.connected",
            () => list.Select(s => new Measurement<int>(s.IsConnected ? 1 : 0, new KeyValuePair<string, object?>("source", s.Name))),
            null, "1 while the source has a live link to its hardware.");
    }
}
