using EdgeOps.Core.Engine.Events;
using EdgeOps.Core.Model;
using EdgeOps.Core.Tests.Support;

namespace EdgeOps.Core.Tests.Engine;

public sealed class ReasonAssignmentTests
{
    private static readonly DateTimeOffset D = TestLines.Monday;

    private static EngineDriver WithUnknownStop(out long stopId)
    {
        // Unknown stop 07:00–07:10.
        var driver = new EngineDriver(TestLines.Line(TestLines.FullMachine()), D.AddHours(6.5));
        driver.Send(D.AddHours(6.5), "running", 1).Send(D.AddHours(7), "running", 0).Send(D.AddHours(7).AddMinutes(10), "running", 1);
        stopId = Assert.Single(driver.EventsOf<StopEndedEvent>()).StopId;
        return driver;
    }

    [Fact]
    public void AssignReason_ToPastStopInCurrentShift_MovesItsDowntime()
    {
        var driver = WithUnknownStop(out var stopId);

        Assert.True(driver.Engine.AssignReason("m1", stopId, "tool-change", "alice", out var error), error);

        var s = driver.Snapshot(D.AddHours(8));
        var row = Assert.Single(s.Kpi.DowntimeByReason);
        Assert.Equal(("tool-change", TimeSpan.FromMinutes(10), 1), (row.ReasonCode, row.Duration, row.Count));
        var assigned = Assert.Single(driver.EventsOf<ReasonAssignedEvent>());
        Assert.Equal(("unknown", "tool-change", "alice"), (assigned.PreviousReasonCode, assigned.ReasonCode, assigned.Who));
    }

    [Fact]
    public void AssignReason_ByStartTruncatedToMilliseconds_FindsTheStop()
    {
        var driver = new EngineDriver(TestLines.Line(TestLines.FullMachine()), D.AddHours(6.5));
        var stopAt = D.AddHours(7).AddTicks(1234); // sub-millisecond part lost in a JSON payload
        driver.Send(D.AddHours(6.5), "running", 1).Send(stopAt, "running", 0);

        Assert.True(driver.Engine.AssignReason("m1", D.AddHours(7), "material", "bob", out var error), error);

        var s = driver.Snapshot(D.AddHours(7.5));
        Assert.Equal((StateCategory.Idle, "material"), (s.State, s.ReasonCode));
        Assert.Equal("material", Assert.Single(s.Kpi.DowntimeByReason).ReasonCode);
        Assert.Equal(0, s.Kpi.DownStopCount);
    }

    [Fact]
    public void AssignReason_ToStopInClosedShift_RevisesThatShift()
    {
        var driver = WithUnknownStop(out var stopId);
        driver.Advance(D.AddHours(14.5));
        Assert.Equal("unknown", Assert.Single(driver.EventsOf<ShiftClosedEvent>()).Record.Kpi.DowntimeByReason[0].ReasonCode);

        Assert.True(driver.Engine.AssignReason("m1", stopId, "material", "carol", out var error), error);
        driver.Advance(D.AddHours(14.6));

        var revised = Assert.Single(driver.EventsOf<ShiftRevisedEvent>()).Record;
        Assert.Equal(1, revised.Revision);
        Assert.Equal("material", Assert.Single(revised.Kpi.DowntimeByReason).ReasonCode);
        Assert.Equal(0, revised.Kpi.DownStopCount);
    }

    [Theory]
    [InlineData("m9", "tool-change", "Unknown machine 'm9'")]
    [InlineData("m1", "coffee", "Unknown reason code 'coffee'")]
    [InlineData("m1", "meeting", "PlannedStop reason")]
    public void AssignReason_BadInput_FailsNamingWhatIsWrong(string machine, string reason, string expected)
    {
        var driver = WithUnknownStop(out var stopId);

        Assert.False(driver.Engine.AssignReason(machine, stopId, reason, "dave", out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void AssignReason_UnknownStop_FailsNamingTheStop()
    {
        var driver = WithUnknownStop(out _);

        Assert.False(driver.Engine.AssignReason("m1", 999, "material", "erin", out var error));
        Assert.Contains("999", error, StringComparison.Ordinal);
    }
}
