namespace EdgeOps.Core.Engine.Machines;

/// <summary>From <see cref="FromTicks"/> on, <see cref="Product"/> (-1: none) was active with <see cref="IdealTicks"/> per unit.</summary>
internal readonly record struct ProductSpan(long FromTicks, int Product, long IdealTicks);
