using EdgeOps.Core.Engine;
using EdgeOps.Core.Engine.Events;
using EdgeOps.Core.Model;
using EdgeOps.Core.Signals;

namespace EdgeOps.Core.Tests.Support;

/// <summary>Feeds signals to a real <see cref="LineEngine"/> by machine and signal name and collects its events.</summary>
internal sealed class EngineDriver
{
    public EngineDriver(LineDefinition line, DateTimeOffset start)
    {
        Catalog = new SignalCatalog(line);
        Engine = new LineEngine(Catalog, start);
    }

    public EngineDriver(SignalCatalog catalog, LineEngine engine)
    {
        Catalog = catalog;
        Engine = engine;
    }

    public SignalCatalog Catalog { get; }
    public LineEngine Engine { get; }
    public List<EngineEvent> Events { get; } = [];

    public EngineDriver Send(DateTimeOffset at, string signal, double value, string machine = "m1",
        SignalQuality quality = SignalQuality.Good)
    {
        Engine.Process(new Signal(Catalog.Resolve(machine, signal), value, at, quality));
        return this;
    }

    public EngineDriver Advance(DateTimeOffset at)
    {
        Engine.Advance(at);
        Engine.DrainEvents(Events);
        return this;
    }

    public MachineSnapshot Snapshot(DateTimeOffset at, string machine = "m1")
    {
        Assert.True(Engine.TryGetMachineIndex(machine, out var index));
        var snapshot = Engine.GetMachineSnapshot(index, at);
        Engine.DrainEvents(Events);
        return snapshot;
    }

    public IEnumerable<T> EventsOf<T>() where T : EngineEvent
    {
        Engine.DrainEvents(Events);
        return Events.OfType<T>();
    }
}
