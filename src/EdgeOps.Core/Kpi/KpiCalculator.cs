namespace EdgeOps.Core.Kpi;

/// <summary>The formulas of DESIGN.md section 4 (ISO 22400), over accumulated times and counts.</summary>
internal static class KpiCalculator
{
    public static KpiSet Compute(in KpiInputs x)
    {
        var ppt = x.CalendarTicks - x.PlannedTicks - x.OfflineTicks;
        var run = x.RunTicks;
        var total = x.Counts.Total;
        var good = x.Counts.Good;
        double? availability = ppt > 0 ? (double)run / ppt : null;
        // ISO 22400 with several products: Σ ideal_i × count_i / run time (the ideal of each unit's own instant).
        double? performance = run > 0 ? (double)x.IdealWorkTicks / run : null;
        double? quality = total > 0 ? (double)good / total : null;
        double? oee = availability is { } a && performance is { } p && quality is { } q ? a * p * q : null;
        double? fpy = total > 0 ? (double)(total - x.Counts.Reject - x.Counts.Rework) / total : null;
        var calendarHours = (double)x.CalendarTicks / TimeSpan.TicksPerHour;
        return new KpiSet
        {
            Availability = availability,
            Performance = performance,
            Quality = quality,
            Oee = oee,
            FirstPassYield = fpy,
            PerformanceFlagged = performance > 1.0,
            ThroughputPerHour1Min = x.Throughput1Min,
            ThroughputPerHour15Min = x.Throughput15Min,
            ThroughputPerHourShift = calendarHours > 0 ? good / calendarHours : 0,
            ActualCycleTime = total > 0 ? TimeSpan.FromTicks(run / total) : null,
            IdealCycleTime = TimeSpan.FromTicks(x.IdealTicks),
            Mtbf = x.DownStopCount > 0 ? TimeSpan.FromTicks(run / x.DownStopCount) : null,
            Mttr = x.DownStopCount > 0 ? TimeSpan.FromTicks(x.DownCategoryTicks / x.DownStopCount) : null,
            CalendarTime = TimeSpan.FromTicks(x.CalendarTicks),
            PlannedProductionTime = TimeSpan.FromTicks(ppt),
            RunTime = TimeSpan.FromTicks(run),
            Downtime = TimeSpan.FromTicks(x.DowntimeTicks),
            FailureTime = TimeSpan.FromTicks(x.DownCategoryTicks),
            PlannedStopTime = TimeSpan.FromTicks(x.PlannedTicks),
            OfflineTime = TimeSpan.FromTicks(x.OfflineTicks),
            MicroStopTime = TimeSpan.FromTicks(x.MicroTicks),
            StopCount = x.StopCount,
            DownStopCount = x.DownStopCount,
            MicroStopCount = x.MicroCount,
            DowntimeByReason = x.Reasons,
            Coverage = x.CalendarTicks > 0 ? 1.0 - ((double)x.OfflineTicks / x.CalendarTicks) : 0,
            Stale = x.Stale,
        };
    }

    public static CapacitySet Capacity(in KpiInputs x, bool closed)
    {
        var ppt = x.CalendarTicks - x.PlannedTicks - x.OfflineTicks;
        var ideal = (double)x.IdealTicks;
        var good = x.Counts.Good;
        var remaining = closed ? 0 : Math.Max(0, x.ScheduledTicks - x.ScheduledElapsedTicks);
        var rate = x.ScheduledElapsedTicks > 0 ? (double)good / x.ScheduledElapsedTicks : 0;
        return new CapacitySet
        {
            TheoreticalOutput = x.TheoreticalUnits,
            TheoreticalOutputShift = x.ScheduledTicks / ideal,
            Target = x.TargetUnits,
            TargetShift = x.TargetPerHour * ((double)x.ScheduledTicks / TimeSpan.TicksPerHour),
            Actual = good,
            ProjectedOutput = good + (rate * remaining),
            Utilization = x.CalendarTicks > 0 ? (double)x.RunTicks / x.CalendarTicks : null,
        };
    }
}
