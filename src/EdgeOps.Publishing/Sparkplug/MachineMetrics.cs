using EdgeOps.Contract.Payloads;
using EdgeOps.Contract.Sparkplug;
using EdgeOps.Core.Engine;
using T = EdgeOps.Contract.Sparkplug.SparkplugDataType;

namespace EdgeOps.Publishing.Sparkplug;

/// <summary>
/// The metrics of one machine (one Sparkplug device), read from its engine snapshot: the same figures as the JSON
/// contract's state, counts and kpi payloads (docs/mqtt-contract.md), rounded by the same <see cref="PayloadFormat"/>.
/// One table holds each metric's definition and how it is read, so the birth and the data cannot drift apart.
/// </summary>
internal static class MachineMetrics
{
    private const string Ratio = "ratio";
    private const string Seconds = "s";
    private const string Units = "units";
    private const string PerHour = "units/h";

    private static readonly (MetricDefinition Definition, Func<MachineSnapshot, Reading> Read)[] Table =
    [
        (new("State", T.String), m => Text(PayloadNames.State(m.State))),
        (new("State/Reason Code", T.String), m => Text(m.ReasonCode)),
        (new("State/Reason Label", T.String), m => Text(m.ReasonLabel)),
        (new("State/Since", T.DateTime), m => new(SparkplugValue.DateTime(m.StateSince), false)),
        (new("State/Stop Id", T.Int64), m => Integer(m.CurrentStopId)),
        (new("Counts/Shift/Total", T.Int64, Units), m => Integer(m.ShiftCounts.Total)),
        (new("Counts/Shift/Good", T.Int64, Units), m => Integer(m.ShiftCounts.Good)),
        (new("Counts/Shift/Reject", T.Int64, Units), m => Integer(m.ShiftCounts.Reject)),
        (new("Counts/Shift/Rework", T.Int64, Units), m => Integer(m.ShiftCounts.Rework)),
        (new("Counts/Lifetime/Total", T.Int64, Units), m => Integer(m.LifetimeCounts.Total)),
        (new("Counts/Lifetime/Good", T.Int64, Units), m => Integer(m.LifetimeCounts.Good)),
        (new("Counts/Lifetime/Reject", T.Int64, Units), m => Integer(m.LifetimeCounts.Reject)),
        (new("Counts/Lifetime/Rework", T.Int64, Units), m => Integer(m.LifetimeCounts.Rework)),
        (new("KPI/OEE", T.Double, Ratio), m => Number(m.Kpi.Oee)),
        (new("KPI/Availability", T.Double, Ratio), m => Number(m.Kpi.Availability)),
        (new("KPI/Performance", T.Double, Ratio), m => Number(m.Kpi.Performance)),
        (new("KPI/Quality", T.Double, Ratio), m => Number(m.Kpi.Quality)),
        (new("KPI/First Pass Yield", T.Double, Ratio), m => Number(m.Kpi.FirstPassYield)),
        (new("KPI/Coverage", T.Double, Ratio), m => Number(m.Kpi.Coverage)),
        (new("KPI/Stale", T.Boolean), m => new(SparkplugValue.Boolean(m.Kpi.Stale), false)),
        (new("KPI/Throughput/1 min", T.Double, PerHour), m => Number(m.Kpi.ThroughputPerHour1Min)),
        (new("KPI/Throughput/15 min", T.Double, PerHour), m => Number(m.Kpi.ThroughputPerHour15Min)),
        (new("KPI/Throughput/Shift", T.Double, PerHour), m => Number(m.Kpi.ThroughputPerHourShift)),
        (new("KPI/MTBF", T.Double, Seconds), m => Duration(m.Kpi.Mtbf)),
        (new("KPI/MTTR", T.Double, Seconds), m => Duration(m.Kpi.Mttr)),
        (new("KPI/Planned Production Time", T.Double, Seconds), m => Duration(m.Kpi.PlannedProductionTime)),
        (new("KPI/Run Time", T.Double, Seconds), m => Duration(m.Kpi.RunTime)),
        (new("KPI/Actual Cycle Time", T.Double, Seconds), m => Duration(m.Kpi.ActualCycleTime)),
        (new("KPI/Ideal Cycle Time", T.Double, Seconds), m => Duration(m.Kpi.IdealCycleTime)),
        (new("Downtime/Total", T.Double, Seconds), m => Duration(m.Kpi.Downtime)),
        (new("Downtime/Stop Count", T.Int64), m => Integer(m.Kpi.StopCount)),
        (new("Downtime/Micro-stop Count", T.Int64), m => Integer(m.Kpi.MicroStopCount)),
        (new("Downtime/Micro-stop Time", T.Double, Seconds), m => Duration(m.Kpi.MicroStopTime)),
        (new("Downtime/Current Stop", T.Double, Seconds), m => m.CurrentStopStart is null ? Reading.Null : Duration(m.CurrentStopDuration)),
        (new("Capacity/Theoretical Output", T.Double, Units), m => Number(m.Capacity.TheoreticalOutputShift)),
        (new("Capacity/Target", T.Double, Units), m => Number(m.Capacity.TargetShift)),
        (new("Capacity/Projected Output", T.Double, Units), m => Number(m.Capacity.ProjectedOutput)),
        (new("Capacity/Utilization", T.Double, Ratio), m => Number(m.Capacity.Utilization)),
    ];

    /// <summary>The snapshot metrics, in table order (the first <see cref="Count"/> of a machine's metric set).</summary>
    public static IEnumerable<MetricDefinition> Definitions => Table.Select(t => t.Definition);

    /// <summary>How many metrics the table reads.</summary>
    public static int Count => Table.Length;

    /// <summary>Reads every table metric of <paramref name="snapshot"/> into <paramref name="set"/> (change detection there).</summary>
    public static void Fill(MachineSnapshot snapshot, MetricSet set, ulong timestamp)
    {
        for (var i = 0; i < Table.Length; i++)
        {
            var reading = Table[i].Read(snapshot);
            set.Set(i, reading.Value, reading.IsNull, timestamp);
        }
    }

    private static Reading Text(string value) => new(SparkplugValue.String(value), false);

    private static Reading Integer(long? value) =>
        value is { } v ? new(SparkplugValue.Integer(T.Int64, v), false) : Reading.Null;

    private static Reading Number(double? value) =>
        PayloadFormat.Round(value) is { } v ? new(SparkplugValue.Double(v), false) : Reading.Null;

    private static Reading Duration(TimeSpan? value) =>
        value is { } v ? new(SparkplugValue.Double(PayloadFormat.Seconds(v)), false) : Reading.Null;

    /// <summary>A value read from a snapshot, or null (a KPI not yet computable).</summary>
    private readonly record struct Reading(SparkplugValue Value, bool IsNull)
    {
        public static Reading Null => new(default, true);
    }
}
