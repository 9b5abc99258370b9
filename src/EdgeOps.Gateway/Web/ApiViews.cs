using EdgeOps.Core.Engine;
using EdgeOps.Core.Kpi;
using EdgeOps.Core.Model;

namespace EdgeOps.Gateway.Web;

// The live view's response bodies. Named records rather than anonymous objects: the JSON source generator (Native AOT)
// needs a type to generate for; property names and order are those the anonymous objects had.

/// <summary><c>{"error": "…"}</c>, the body of a 400 or 404.</summary>
public sealed record ApiError(string? Error);

/// <summary><c>GET /api/machines/{id}/history</c>.</summary>
public sealed record MachineHistoryView(MachineSnapshot Machine, IReadOnlyList<HistoryPoint> Points, IReadOnlyList<ShiftRecord> Shifts);

/// <summary>A reason the operator may pick (<c>GET /api/machines/{id}/reasons</c>).</summary>
public sealed record ReasonView(string Code, string Label, StateCategory Category);

/// <summary><c>GET /api/machines/{id}/stops</c>: the current stop (none or one) and recent ended ones, newest first.</summary>
public sealed record StopsView(IReadOnlyList<CurrentStopView> Current, IReadOnlyList<EndedStopView> Ended);

/// <summary>The stop going on now.</summary>
public sealed record CurrentStopView(long StopId, DateTimeOffset? Start, string? ReasonCode, bool Current);

/// <summary>A stop that has ended.</summary>
public sealed record EndedStopView(long StopId, DateTimeOffset Start, TimeSpan Duration, string ReasonCode, string? ReasonLabel);

/// <summary><c>POST /api/machines/{id}/reason</c>'s answer.</summary>
public sealed record ReasonAssignedView(string Assigned);
