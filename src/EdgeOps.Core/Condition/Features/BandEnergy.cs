namespace EdgeOps.Core.Condition.Features;

/// <summary>Energy (mean square, unit²) of a configured frequency band in one window.</summary>
public readonly record struct BandEnergy(string Name, double Energy);
