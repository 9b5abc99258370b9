namespace EdgeOps.Gateway.Web;

/// <summary>
/// Refuses state-changing requests (anything but GET, HEAD, OPTIONS) that a browser sends from another origin: a web
/// page elsewhere must not make an operator's browser assign reasons through its cookie or through the open loopback
/// board. A request with an <c>Origin</c> header must come from this gateway's own scheme, host and port; without one, a
/// browser's <c>Sec-Fetch-Site: cross-site</c> is refused too. Tools that send neither (curl, scripts) are not browsers
/// and pass to the token check as before.
/// </summary>
internal static class OriginCheck
{
    public static IApplicationBuilder UseEdgeOpsOriginCheck(this IApplicationBuilder app)
    {
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger("EdgeOps.Web");
        return app.Use(async (context, next) =>
        {
            var request = context.Request;
            if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method) && !HttpMethods.IsOptions(request.Method)
                && !SameOrigin(request))
            {
                var origin = request.Headers.Origin.ToString();
                WebLog.CrossOrigin(logger, request.Method, request.Path, origin.Length > 0 ? origin : "(Sec-Fetch-Site: cross-site)");
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                await context.Response.WriteAsync("cross-origin request refused", context.RequestAborted).ConfigureAwait(false);
                return;
            }

            await next(context).ConfigureAwait(false);
        });
    }

    private static bool SameOrigin(HttpRequest request)
    {
        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0)
        {
            return !string.Equals(request.Headers["Sec-Fetch-Site"].ToString(), "cross-site", StringComparison.OrdinalIgnoreCase);
        }

        return Uri.TryCreate(origin, UriKind.Absolute, out var uri)
            && string.Equals(uri.Scheme, request.Scheme, StringComparison.OrdinalIgnoreCase)
            && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
    }
}
