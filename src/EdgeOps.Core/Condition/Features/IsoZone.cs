namespace EdgeOps.Core.Condition.Features;

/// <summary>Evaluation zones of ISO 10816 / 20816.</summary>
public enum IsoZone
{
    /// <summary>Newly commissioned machines.</summary>
    A,
    /// <summary>Acceptable for unrestricted long-term operation.</summary>
    B,
    /// <summary>Unsatisfactory for long-term operation: plan maintenance.</summary>
    C,
    /// <summary>Severe enough to cause damage.</summary>
    D,
}
