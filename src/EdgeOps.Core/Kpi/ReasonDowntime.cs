using EdgeOps.Core.Model;

namespace EdgeOps.Core.Kpi;

/// <summary>Downtime of one reason over a period (stops at or above the micro-stop threshold only): the Pareto row.</summary>
/// <param name="ReasonCode">The reason code (e.g. "unknown", "fault", "starved", or a configured code).</param>
/// <param name="Label">Human-readable label of the reason.</param>
/// <param name="Category">Down, Changeover or Idle.</param>
/// <param name="Duration">Time lost to stops with this reason.</param>
/// <param name="Count">Number of stops with this reason.</param>
public sealed record ReasonDowntime(string ReasonCode, string Label, StateCategory Category, TimeSpan Duration, int Count);
