using System.Text.Json;
using EdgeOps.Core.Condition.Maintenance;
using EdgeOps.Core.Model;

namespace EdgeOps.Core.Tests.Condition;

public sealed class MaintenanceTests
{
    private static readonly MaintenanceDefinition[] Items =
    [
        new() { Item = "bearing-grease", EveryHours = 10 },
        new() { Item = "tool-change", EveryCycles = 1000, Grace = 0.2 },
        new() { Item = "clutch", EveryStarts = 3 },
    ];

    [Fact]
    public void Counters_CountRunHoursCyclesAndStartsOnlyWhileRunning()
    {
        var counters = new MaintenanceCounters("press-1", Items);

        counters.Observe(false, Waves.T0);
        counters.Observe(true, Waves.T0.AddHours(1));    // start 1
        counters.Observe(true, Waves.T0.AddHours(2));
        counters.Observe(false, Waves.T0.AddHours(3.5)); // 2.5 h run
        counters.Observe(false, Waves.T0.AddHours(10));
        counters.Observe(true, Waves.T0.AddHours(11));   // start 2
        counters.AddCycles(250, Waves.T0.AddHours(11.5));

        var status = counters.Checkpoint(Waves.T0.AddHours(12)); // 1 h more
        Assert.Equal(3.5, counters.RunHours, 1e-9);
        Assert.Equal(2, counters.Starts);
        Assert.Equal(250, counters.Cycles);
        Assert.Equal(3.5 * 3600, status.RunSeconds, 1e-6);
        Assert.Equal(0.35, counters.Status("bearing-grease").Progress, 1e-9);
        Assert.Equal(2.0 / 3, counters.Status("clutch").Progress, 1e-9);
    }

    [Fact]
    public void Item_BecomesDueAtItsIntervalAndOverduePastTheGrace_EachAnnouncedOnce()
    {
        var counters = new MaintenanceCounters("press-1", Items);

        counters.AddCycles(999, Waves.T0);
        Assert.Empty(counters.TakeEvents());
        counters.AddCycles(1, Waves.T0.AddMinutes(1));
        counters.AddCycles(100, Waves.T0.AddMinutes(2));
        var due = Assert.Single(counters.TakeEvents());
        counters.AddCycles(100, Waves.T0.AddMinutes(3));  // 1200 = 100 % + 20 % grace
        var overdue = Assert.Single(counters.TakeEvents());

        Assert.Equal(MaintenanceEventKind.Due, due.Kind);
        Assert.Equal("tool-change", due.Item);
        Assert.Equal(Waves.T0.AddMinutes(1), due.At);
        Assert.Equal(MaintenanceEventKind.Overdue, overdue.Kind);
        Assert.Equal(MaintenanceLevel.Overdue, counters.Status("tool-change").Level);
        Assert.Equal(MaintenanceLevel.Ok, counters.Status("bearing-grease").Level);
    }

    [Fact]
    public void Reset_RestartsOnlyThatItem_AndRecordsWhoAndWhen()
    {
        var counters = new MaintenanceCounters("press-1", Items);
        counters.AddCycles(1500, Waves.T0);
        counters.Observe(true, Waves.T0);
        counters.Observe(true, Waves.T0.AddHours(4));

        var reset = counters.Reset("tool-change", "j.smith", Waves.T0.AddHours(5));

        Assert.Equal(MaintenanceEventKind.Reset, reset.Kind);
        Assert.Equal("j.smith", reset.By);
        Assert.Equal(Waves.T0.AddHours(5), reset.At);
        Assert.Equal(1500, reset.Cycles);
        var tool = counters.Status("tool-change");
        Assert.Equal(0, tool.Cycles);
        Assert.Equal(MaintenanceLevel.Ok, tool.Level);
        Assert.Equal("j.smith", tool.LastResetBy);
        Assert.Equal(4, counters.Status("bearing-grease").RunHours, 1e-9);
        Assert.Equal(1500, counters.Cycles); // lifetime never resets
    }

    [Fact]
    public void Reset_OfAnUnknownItem_FailsNamingTheConfiguredOnes()
    {
        var counters = new MaintenanceCounters("press-1", Items);

        var error = Assert.Throws<ArgumentException>(() => counters.Reset("bearing", "j.smith", Waves.T0));

        Assert.Contains("'bearing'", error.Message, StringComparison.Ordinal);
        Assert.Contains("bearing-grease, tool-change, clutch", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Counters_SurviveARestartThroughTheirJsonCheckpoint_AndDoNotRepeatEvents()
    {
        var counters = new MaintenanceCounters("press-1", Items);
        counters.Observe(true, Waves.T0);
        counters.AddCycles(1100, Waves.T0.AddHours(1));
        counters.Reset("clutch", "night-shift", Waves.T0.AddHours(2));
        counters.TakeEvents();
        var json = JsonSerializer.Serialize(counters.Checkpoint(Waves.T0.AddHours(6)));

        var restarted = new MaintenanceCounters("press-1", Items, JsonSerializer.Deserialize<MaintenanceState>(json));
        restarted.Observe(true, Waves.T0.AddHours(7)); // running across the restart: not a new start
        restarted.Observe(true, Waves.T0.AddHours(11));
        restarted.AddCycles(1, Waves.T0.AddHours(11));

        Assert.Equal(10, restarted.Status("bearing-grease").RunHours, 1e-9); // 6 h before, 4 h after; the 1 h outage is not run time
        Assert.Equal(1101, restarted.Status("tool-change").Cycles);
        Assert.Equal(1, restarted.Starts);
        Assert.Equal("night-shift", restarted.Status("clutch").LastResetBy);
        var events = restarted.TakeEvents();
        var due = Assert.Single(events); // tool-change was already due before the restart: not announced again
        Assert.Equal("bearing-grease", due.Item);
    }

    [Fact]
    public void ItemNewInTheConfig_StartsCountingAtRestoreInsteadOfBeingOverdue()
    {
        var state = new MaintenanceState { Machine = "press-1", RunSeconds = 1e6, Cycles = 5, Starts = 2 };

        var counters = new MaintenanceCounters("press-1", Items, state);

        Assert.Equal(0, counters.Status("bearing-grease").RunHours);
        Assert.Equal(1e6 / 3600, counters.RunHours, 1e-9);
    }

    [Fact]
    public void Item_WithoutAnyInterval_IsRefusedNamingIt()
    {
        var error = Assert.Throws<ArgumentException>(() => new MaintenanceCounters("press-1", [Items[0], new MaintenanceDefinition { Item = "belt" }]));

        Assert.Contains("maintenance[1] 'belt'", error.Message, StringComparison.Ordinal);
    }
}
