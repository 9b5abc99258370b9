namespace EdgeOps.Core.Model;

/// <summary>
/// Machine classes of ISO 10816-1:1995 Annex B (the scheme of ISO 2372 / VDI 2056). Limits in
/// docs/condition-monitoring.md and <c>IsoZoneClassifier</c>.
/// </summary>
public enum IsoMachineClass
{
    /// <summary>Small machines, e.g. production motors up to 15 kW.</summary>
    I = 1,
    /// <summary>Medium machines, e.g. motors 15–75 kW without special foundations, up to 300 kW on special foundations.</summary>
    II = 2,
    /// <summary>Large machines on rigid, heavy foundations.</summary>
    III = 3,
    /// <summary>Large machines on soft foundations (e.g. turbo sets on lightweight structures).</summary>
    IV = 4,
}
