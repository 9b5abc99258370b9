using EdgeOps.Core.Model;
using EdgeOps.Core.Tests.Support;

namespace EdgeOps.Core.Tests.Engine;

/// <summary>Values stamped a little before the engine's start (a source's first read, a PLC's clock) still count.</summary>
public sealed class EarlyStampTests
{
    private static readonly DateTimeOffset D = TestLines.Monday;

    [Fact]
    public void RunningStampedBeforeTheEngineStart_ThenRepeated_TheMachineRuns()
    {
        var start = D.AddHours(7);
        var driver = new EngineDriver(TestLines.Line(TestLines.FullMachine(staleAfter: TimeSpan.FromMinutes(1))), start);

        driver.Send(start.AddSeconds(-1), "running", 1);
        driver.Send(start.AddSeconds(5), "running", 1);
        driver.Send(start.AddSeconds(10), "running", 1);

        Assert.Equal(StateCategory.Running, driver.Snapshot(start.AddSeconds(11)).State);
    }
}
