using EdgeOps.Core.Engine;
using EdgeOps.Core.Engine.Events;
using EdgeOps.Core.Kpi;
using EdgeOps.Core.Model;
using EdgeOps.Core.Signals;
using EdgeOps.Core.Tests.Support;
using FsCheck.Xunit;

namespace EdgeOps.Core.Tests.Kpi;

/// <summary>
/// Random signal histories (state toggles, counts, silences long enough to go stale) across breaks, shift closes and
/// the gap between shifts; the KPI invariants must hold at every step and in every closed shift record.
/// </summary>
public sealed class KpiInvariantProperties
{
    private static readonly string[] Toggles = ["running", "fault", "starved", "planned", "changeover", "blocked"];

    [Property(MaxTest = 150, EndSize = 300)]
    public void Invariants_HoldThroughAnySignalHistory(int[] steps)
    {
        var catalog = new SignalCatalog(TestLines.Line(TestLines.FullMachine(staleAfter: TimeSpan.FromSeconds(120))));
        var t = TestLines.Monday.AddHours(9.5);
        var engine = new LineEngine(catalog, t);
        var values = new Dictionary<string, bool>();
        var events = new List<EngineEvent>();
        var lastLifetime = ProductionCounts.Zero;
        string? lastShift = null;
        var lastShiftTotal = 0L;
        foreach (var step in steps ?? [])
        {
            // FsCheck's ints are small; scramble them so durations (0–15 min) and counts (0–19) spread out.
            var x = (int)(unchecked((uint)step * 2654435761u) >> 1);
            t = t.AddSeconds((x >> 4) % 900);
            var kind = x % 10;
            if (kind < Toggles.Length)
            {
                var name = Toggles[kind];
                values[name] = !values.GetValueOrDefault(name);
                engine.Process(new Signal(catalog.Resolve("m1", name), values[name] ? 1 : 0, t));
            }
            else if (kind is 6 or 7)
            {
                engine.Process(new Signal(catalog.Resolve("m1", kind == 6 ? "total" : "reject"), (x >> 12) % 20, t));
            }
            else if (kind == 8)
            {
                engine.Process(new Signal(catalog.Resolve("m1", "running"), 1, t, SignalQuality.Bad));
            }

            engine.Advance(t);
            var s = engine.GetMachineSnapshot(0, t);
            CheckKpis(s.Kpi, s.ShiftCounts);
            Assert.True(s.LifetimeCounts.Total >= lastLifetime.Total, "lifetime total decreased");
            Assert.True(s.LifetimeCounts.Reject >= lastLifetime.Reject, "lifetime reject decreased");
            if (s.Shift?.Id == lastShift)
            {
                Assert.True(s.ShiftCounts.Total >= lastShiftTotal, "shift total decreased");
            }

            lastLifetime = s.LifetimeCounts;
            lastShift = s.Shift?.Id;
            lastShiftTotal = s.ShiftCounts.Total;
        }

        engine.DrainEvents(events);
        foreach (var closed in events.OfType<ShiftClosedEvent>())
        {
            CheckKpis(closed.Record.Kpi, closed.Record.Counts);
            Assert.Equal(closed.Record.End - closed.Record.Start, closed.Record.Kpi.CalendarTime);
        }
    }

    private static void CheckKpis(KpiSet k, ProductionCounts counts)
    {
        Assert.Equal(k.CalendarTime, k.RunTime + k.Downtime + k.PlannedStopTime + k.OfflineTime);
        Assert.Equal(k.PlannedProductionTime, k.RunTime + k.Downtime);
        Assert.True(k.RunTime >= TimeSpan.Zero && k.Downtime >= TimeSpan.Zero && k.OfflineTime >= TimeSpan.Zero);
        Assert.True(k.MicroStopTime <= k.RunTime);
        if (k.Availability is { } a)
        {
            Assert.InRange(a, 0.0, 1.0);
        }

        if (k.Quality is { } q)
        {
            Assert.InRange(q, 0.0, 1.0);
        }

        if (k.Availability is { } a2 && k.Performance is { } p && k.Quality is { } q2)
        {
            Assert.Equal(a2 * p * q2, k.Oee!.Value, 12);
            // The short form: good × ideal cycle time / PPT.
            Assert.Equal(counts.Good * k.IdealCycleTime.TotalSeconds / k.PlannedProductionTime.TotalSeconds, k.Oee.Value, 9);
        }
        else
        {
            Assert.Null(k.Oee);
        }

        Assert.InRange(k.Coverage, 0.0, 1.0);
        Assert.Equal(k.Downtime, k.DowntimeByReason.Aggregate(TimeSpan.Zero, (sum, r) => sum + r.Duration));
        Assert.Equal(k.StopCount, k.DowntimeByReason.Sum(r => r.Count));
        Assert.True(counts.Good >= 0 && counts.Reject >= 0 && counts.Total >= 0);
    }
}
