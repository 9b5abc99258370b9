using EdgeOps.Core.Engine;
using EdgeOps.Core.Signals;
using EdgeOps.Core.Tests.Support;

namespace EdgeOps.Core.Tests.Engine;

/// <summary>The steady path allocates nothing: a behaviour check with the allocation counter, not a timing test.</summary>
public sealed class HotPathAllocationTests
{
    private const int Signals = 200_000;

    [Theory]
    [InlineData("total", 1.0)]
    [InlineData("running", 1.0)]
    [InlineData("vibration", 3.7)]
    public void Process_SteadySignals_AllocatesNothing(string signal, double value)
    {
        var catalog = new SignalCatalog(TestLines.Line(TestLines.FullMachine(staleAfter: TimeSpan.FromSeconds(30))));
        var start = TestLines.Monday.AddHours(6);
        var engine = new LineEngine(catalog, start);
        var handle = catalog.Resolve("m1", signal);
        var running = catalog.Resolve("m1", "running");
        engine.Process(new Signal(running, 1, start));
        engine.DrainEvents(new List<EdgeOps.Core.Engine.Events.EngineEvent>());

        // Warm up (JIT, tiering) with the same kind of signals, then measure. 1 ms apart: 200 s of line time, so
        // staleness and micro-stop deadlines are crossed and re-armed along the way.
        var t = start;
        for (var i = 0; i < 10_000; i++)
        {
            t = t.AddMilliseconds(1);
            engine.Process(new Signal(handle, value, t));
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Signals; i++)
        {
            t = t.AddMilliseconds(1);
            engine.Process(new Signal(handle, value, t));
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(0, engine.PendingEventCount);
    }

    [Fact]
    public void Process_SteadyStateCodeStatusWordAndUnitMode_AllocatesNothing()
    {
        // A PackML machine polled every scan: the same code, word and mode again and again.
        var machine = new Model.MachineDefinition
        {
            Id = "m1",
            IdealCycleTime = TimeSpan.FromSeconds(1),
            StaleAfter = TimeSpan.FromSeconds(30),
            StateModel = Model.StateModel.PackMl,
            Signals =
            [
                TestLines.Sig("state", SignalRole.StateCode),
                TestLines.Sig("mode", SignalRole.UnitMode),
                new Model.SignalDefinition { Name = "status", Role = SignalRole.StatusWord, Bits = [new Model.StatusBitDefinition(3, SignalRole.Fault, Inverted: true)] },
            ],
        };
        var catalog = new SignalCatalog(TestLines.Line(machine));
        var start = TestLines.Monday.AddHours(6);
        var engine = new LineEngine(catalog, start);
        (int Handle, double Value)[] steady = [(catalog.Resolve("m1", "state"), 6), (catalog.Resolve("m1", "mode"), 1), (catalog.Resolve("m1", "status"), 8)];
        var t = start;
        for (var i = 0; i < 10_000; i++)
        {
            t = t.AddMilliseconds(1);
            var (handle, value) = steady[i % steady.Length];
            engine.Process(new Signal(handle, value, t));
        }

        engine.DrainEvents(new List<EdgeOps.Core.Engine.Events.EngineEvent>());
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Signals; i++)
        {
            t = t.AddMilliseconds(1);
            var (handle, value) = steady[i % steady.Length];
            engine.Process(new Signal(handle, value, t));
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(0, engine.PendingEventCount);
        Assert.Equal(Model.StateCategory.Running, engine.GetMachineSnapshot(0, t).State);
    }
}
