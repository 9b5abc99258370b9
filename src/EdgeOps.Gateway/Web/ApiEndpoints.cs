using EdgeOps.Gateway.Condition;
using EdgeOps.Gateway.Engine;

namespace EdgeOps.Gateway.Web;

/// <summary>JSON views of the engine for the live view, commissioning tools and tests.</summary>
public static class ApiEndpoints
{
    public static IEndpointRouteBuilder MapEdgeOpsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => Results.Text("ok"));
        app.MapGet("/api/line", (EngineView view) => view.Line is { } line ? ApiJson.Result(line) : Results.StatusCode(503));
        app.MapGet("/api/shifts", (EngineView view) => ApiJson.Result(view.ShiftRecords()));
        app.MapGet("/api/events", (EngineView view) => ApiJson.Result<IReadOnlyList<object>>([.. view.RecentEvents()]));
        app.MapEdgeOpsCondition();
        return app;
    }
}
