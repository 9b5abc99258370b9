using System.Text.Json;
using EdgeOps.Core.Engine;
using EdgeOps.Gateway.Engine;
using EdgeOps.Gateway.Hosting;
using Microsoft.Extensions.Options;

namespace EdgeOps.Gateway.Web;

/// <summary>The live view's endpoints: the SSE stream, machine history, reasons and reason capture.</summary>
internal static class LiveViewEndpoints
{
    private static readonly TimeSpan StreamPoll = TimeSpan.FromMilliseconds(100);

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/stream", StreamAsync);
        app.MapGet("/api/machines/{id}/history", (string id, MachineHistory history, EngineView view) =>
        {
            var machine = view.Line?.Machines.FirstOrDefault(m => m.MachineId == id);
            return machine is null
                ? Results.NotFound(new ApiError($"No machine '{id}'."))
                : ApiJson.Result(new MachineHistoryView(machine, history.For(id),
                    [.. view.ShiftRecords().Where(r => r.MachineId == id).TakeLast(5)]));
        });
        app.MapGet("/api/machines/{id}/reasons", (string id, LineFile line) =>
        {
            var machine = line.Definition.Machines.FirstOrDefault(m => m.Id == id);
            if (machine is null)
            {
                return Results.NotFound(new ApiError($"No machine '{id}'."));
            }

            var reasons = machine.Reasons.Concat(line.Definition.Reasons)
                .Where(r => r.Category != Core.Model.StateCategory.PlannedStop)
                .DistinctBy(r => r.Code)
                .Select(r => new ReasonView(r.Code, r.Label, r.Category));
            return ApiJson.Result<IReadOnlyList<ReasonView>>([.. reasons]);
        });
        app.MapGet("/api/machines/{id}/stops", (string id, EngineView view) =>
        {
            // The current stop and recent ended ones, newest first, for the operator to pick.
            IReadOnlyList<CurrentStopView> current = view.Line?.Machines.FirstOrDefault(m => m.MachineId == id) is { CurrentStopId: { } stopId } m
                ? [new CurrentStopView(stopId, m.CurrentStopStart, m.ReasonCode, Current: true)]
                : [];
            var ended = view.RecentEvents().OfType<Core.Engine.Events.StopEndedEvent>().Where(e => e.MachineId == id && !e.IsMicroStop)
                .Reverse().Take(10)
                .Select(e => new EndedStopView(e.StopId, e.Start, e.Duration, e.ReasonCode, e.ReasonLabel));
            return ApiJson.Result(new StopsView(current, [.. ended]));
        });
        app.MapPost("/api/machines/{id}/reason", AssignReasonAsync);
    }

    private static async Task<IResult> AssignReasonAsync(string id, ReasonRequest request, EngineCommands commands,
        HttpContext context, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.ReasonCode))
        {
            return Results.BadRequest(new ApiError("reasonCode is required."));
        }

        // A signed-in user is who they signed in as; the shared token's board says what the operator typed, if anything.
        var who = TokenGate.UserOf(context) ?? (string.IsNullOrWhiteSpace(request.Who) ? "live-view" : request.Who);
        var (ok, error) = await commands.InvokeAsync((engine, _) =>
        {
            var done = engine.AssignReason(id, request.StopId, request.ReasonCode, who, out var e);
            return (done, e);
        }, cancellationToken).ConfigureAwait(false);
        return ok ? Results.Ok(new ReasonAssignedView(request.ReasonCode)) : Results.BadRequest(new ApiError(error));
    }

    private static async Task StreamAsync(HttpContext context, EngineView view, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json)
    {
        var cancellationToken = context.RequestAborted;
        context.Response.Headers.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers["X-Accel-Buffering"] = "no";
        LineSnapshot? sent = null;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var line = view.Line;
                if (line is not null && !ReferenceEquals(line, sent))
                {
                    var payload = JsonSerializer.Serialize(line, json.Value.SerializerOptions.GetTypeInfo(typeof(LineSnapshot)));
                    await context.Response.WriteAsync($"data: {payload}\n\n", cancellationToken).ConfigureAwait(false);
                    await context.Response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
                    sent = line;
                }

                await Task.Delay(StreamPoll, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // The board went away.
        }
    }
}

/// <summary>Body of POST /api/machines/{id}/reason.</summary>
public sealed record ReasonRequest(long StopId, string ReasonCode, string? Who);
