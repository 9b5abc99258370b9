namespace EdgeOps.Core.Engine.Events;

/// <summary>What the engine found in a count input.</summary>
public enum CounterAnomalyKind
{
    /// <summary>A totalizer wrapped at its width (16/32 bit); the units across the wrap were counted.</summary>
    Rollover,
    /// <summary>A totalizer restarted from (near) zero; the units since zero were counted.</summary>
    Reset,
    /// <summary>A totalizer jumped back to an unrelated value (PLC program download); re-baselined, nothing counted.</summary>
    PlcDownload,
    /// <summary>An implausibly large step; re-baselined, never counted.</summary>
    QuarantinedJump,
    /// <summary>A value that cannot be a count (negative, not finite, beyond the totalizer width); ignored.</summary>
    InvalidValue,
}
