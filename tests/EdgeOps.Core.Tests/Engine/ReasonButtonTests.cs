using EdgeOps.Core.Engine.Events;
using EdgeOps.Core.Model;
using EdgeOps.Core.Signals;
using EdgeOps.Core.Tests.Support;

namespace EdgeOps.Core.Tests.Engine;

/// <summary>A reason button (GPIO button box, HMI bit) gives the current or the just-ended stop its configured reason.</summary>
public sealed class ReasonButtonTests
{
    private static readonly DateTimeOffset D = TestLines.Monday;

    private static EngineDriver Driver()
    {
        var machine = TestLines.FullMachine();
        machine = machine with
        {
            Signals = [.. machine.Signals, new SignalDefinition { Name = "btn-tool", Role = SignalRole.ReasonSelect, Reason = "tool-change" }],
        };
        return new EngineDriver(TestLines.Line(machine), D.AddHours(6.5));
    }

    [Fact]
    public void Press_DuringAStop_GivesTheCurrentStopTheButtonsReason()
    {
        var driver = Driver().Send(D.AddHours(6.5), "running", 1).Send(D.AddHours(7), "running", 0);

        driver.Send(D.AddHours(7).AddMinutes(1), "btn-tool", 1);

        var s = driver.Snapshot(D.AddHours(7).AddMinutes(5));
        Assert.Equal((StateCategory.Down, "tool-change"), (s.State, s.ReasonCode));
        var assigned = Assert.Single(driver.EventsOf<ReasonAssignedEvent>());
        Assert.Equal(("unknown", "tool-change", "button:btn-tool"), (assigned.PreviousReasonCode, assigned.ReasonCode, assigned.Who));
    }

    [Fact]
    public void Press_SoonAfterTheStopEnded_NamesThatStop_LaterPressesAreIgnored()
    {
        var driver = Driver().Send(D.AddHours(6.5), "running", 1).Send(D.AddHours(7), "running", 0)
            .Send(D.AddHours(7).AddMinutes(10), "running", 1);

        driver.Send(D.AddHours(7).AddMinutes(12), "btn-tool", 1);
        var row = Assert.Single(driver.Snapshot(D.AddHours(7.5)).Kpi.DowntimeByReason);
        Assert.Equal(("tool-change", TimeSpan.FromMinutes(10)), (row.ReasonCode, row.Duration));

        // Twenty minutes after the stop ended the button names nothing: counted, not applied.
        driver.Send(D.AddHours(7).AddMinutes(30), "btn-tool", 1);
        Assert.Single(driver.EventsOf<ReasonAssignedEvent>());
        Assert.Equal(1, driver.Engine.IgnoredReasonPressCount);
    }

    [Fact]
    public void ButtonPresses_AreNotMachineActivity_TheMachineStillGoesOfflineWhenItsInputsFallSilent()
    {
        var machine = TestLines.FullMachine(staleAfter: TimeSpan.FromMinutes(1));
        machine = machine with
        {
            Signals = [.. machine.Signals, new SignalDefinition { Name = "btn-tool", Role = SignalRole.ReasonSelect, Reason = "tool-change" }],
        };
        var driver = new EngineDriver(TestLines.Line(machine), D.AddHours(6.5)).Send(D.AddHours(6.5), "running", 1);

        for (var i = 1; i <= 5; i++)
        {
            driver.Send(D.AddHours(6.5).AddSeconds(30 * i), "btn-tool", 0); // the button box's heartbeat
        }

        Assert.Equal(StateCategory.Offline, driver.Snapshot(D.AddHours(6.5).AddMinutes(3)).State);
    }
}
