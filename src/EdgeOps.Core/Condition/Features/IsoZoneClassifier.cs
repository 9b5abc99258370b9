using EdgeOps.Core.Model;

namespace EdgeOps.Core.Condition.Features;

/// <summary>
/// Classifies broadband velocity RMS (mm/s, 10–1000 Hz) into zones A–D by ISO 10816-1:1995 Annex B, Table B.1
/// (machine classes I–IV, the limits inherited from ISO 2372). A value equal to a boundary stays in the lower zone.
/// </summary>
public static class IsoZoneClassifier
{
    // A/B, B/C, C/D boundaries in mm/s RMS per class; the R10 series steps of the standard's table. The Grafana
    // dashboard deploy/grafana/dashboards/predictive-maintenance.json draws the same numbers (a test compares them).
    private static readonly double[][] Limits =
    [
        [0.71, 1.8, 4.5],
        [1.12, 2.8, 7.1],
        [1.8, 4.5, 11.2],
        [2.8, 7.1, 18.0],
    ];

    /// <summary>The A/B, B/C and C/D boundaries of a class, in mm/s RMS.</summary>
    public static IReadOnlyList<double> Boundaries(IsoMachineClass machineClass) => Limits[Index(machineClass)];

    /// <summary>The zone of a velocity RMS in mm/s.</summary>
    public static IsoZone Classify(double velocityRmsMmPerSecond, IsoMachineClass machineClass)
    {
        var limits = Limits[Index(machineClass)];
        if (velocityRmsMmPerSecond <= limits[0])
        {
            return IsoZone.A;
        }

        if (velocityRmsMmPerSecond <= limits[1])
        {
            return IsoZone.B;
        }

        return velocityRmsMmPerSecond <= limits[2] ? IsoZone.C : IsoZone.D;
    }

    private static int Index(IsoMachineClass machineClass) => machineClass switch
    {
        IsoMachineClass.I => 0,
        IsoMachineClass.II => 1,
        IsoMachineClass.III => 2,
        IsoMachineClass.IV => 3,
        _ => throw new ArgumentOutOfRangeException(nameof(machineClass), machineClass, "ISO machine class must be I, II, III or IV."),
    };
}
