namespace EdgeOps.Core.Kpi;

/// <summary>What a machine made of one product in a period (a shift record carries one per product that counted).</summary>
public sealed record ProductCounts(string ProductId, ProductionCounts Counts);
