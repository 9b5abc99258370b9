using EdgeOps.Core.Orders;
using EdgeOps.Gateway.Engine;
using EdgeOps.Gateway.Hosting;
using EdgeOps.Publishing.Mqtt.Engine;

namespace EdgeOps.Gateway.Web;

/// <summary>
/// The board's production orders: the configured products, and starting, pausing, resuming and completing an order
/// of a machine or of the line. Behind the same origin check and token gate as reason capture; the engine's order
/// entry points do the checking, as for the MQTT commands, so both refuse the same input with the same words.
/// </summary>
internal static class OrderEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/products", (LineFile line) => Results.Json(
            line.Definition.Products.Select(p => new { id = p.Id, name = p.Name ?? p.Id })));
        app.MapPost("/api/orders/{scope}/start", StartAsync);
        app.MapPost("/api/orders/{scope}/{action}", ChangeAsync);
    }

    private static async Task<IResult> StartAsync(string scope, OrderStartRequest request, EngineCommands commands, LineFile line,
        HttpContext context, CancellationToken cancellationToken)
    {
        // The board asks for what an MQTT start-order needs: an order without product or quantity has no rate and no
        // projection to show on the board.
        if (string.IsNullOrWhiteSpace(request.Product))
        {
            return Refused(OrderLimits.ProductField,
                $"pick a product; configured: {string.Join(", ", line.Definition.Products.Select(p => p.Id))}");
        }

        if (request.Quantity is null)
        {
            return Refused(OrderLimits.QuantityField, "give the quantity ordered (units, more than 0)");
        }

        var who = Who(context, request.Who);
        var result = await commands.InvokeAsync(
            (engine, now) => engine.StartOrder(scope, new OrderStart(request.OrderId ?? string.Empty, request.Product, request.Quantity, request.Due), now, who),
            cancellationToken).ConfigureAwait(false);
        return Answer(result);
    }

    private static async Task<IResult> ChangeAsync(string scope, string action, OrderChangeRequest? request, EngineCommands commands,
        HttpContext context, CancellationToken cancellationToken)
    {
        var who = Who(context, request?.Who);
        var orderId = string.IsNullOrEmpty(request?.OrderId) ? null : request.OrderId;
        Func<Core.Engine.LineEngine, DateTimeOffset, OrderCommandResult>? work = action switch
        {
            "complete" => (engine, now) => engine.CompleteOrder(scope, orderId, now, who),
            "pause" => (engine, now) => engine.PauseOrder(scope, orderId, now, who),
            "resume" => (engine, now) => engine.ResumeOrder(scope, orderId, now, who),
            _ => null,
        };
        if (work is null)
        {
            return Results.NotFound(new { error = $"no order action '{action}' (start, complete, pause, resume)" });
        }

        return Answer(await commands.InvokeAsync(work, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// A signed-in user is who they signed in as; on the shared token's (or the open loopback) board, what the page
    /// says. The <c>board:</c> prefix tells the order record it came from the board, as <c>mqtt:</c> and <c>signal:</c> do.
    /// </summary>
    private static string Who(HttpContext context, string? said) =>
        "board:" + (TokenGate.UserOf(context) ?? (string.IsNullOrWhiteSpace(said) ? "live-view" : said.Trim()));

    private static IResult Answer(OrderCommandResult result) => result.Accepted
        ? Results.Ok(new { ok = true, order = result.Order, completed = result.Completed })
        : Results.BadRequest(new { ok = false, field = result.Field, error = OrderCommands.Describe(result) });

    private static IResult Refused(string field, string error) => Answer(OrderCommandResult.Refused(field, error));
}

/// <summary>Body of POST /api/orders/{scope}/start (scope: a machine id or the line id).</summary>
public sealed record OrderStartRequest(string? OrderId, string? Product, long? Quantity, DateTimeOffset? Due, string? Who);

/// <summary>Body of POST /api/orders/{scope}/complete|pause|resume; <see cref="OrderId"/> null means the current order.</summary>
public sealed record OrderChangeRequest(string? OrderId, string? Who);
