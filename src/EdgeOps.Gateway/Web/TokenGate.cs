using System.Security.Cryptography;
using System.Text;

namespace EdgeOps.Gateway.Web;

/// <summary>
/// Refuses requests without the configured token (header <c>Authorization: Bearer</c>, query <c>token</c>, or the
/// cookie set after a valid query token, so the board's EventSource and fetches work after one link with ?token=).
/// Probes (/healthz, /readyz) stay open: they reveal nothing and systemd/Kubernetes call them without secrets.
/// </summary>
internal static class TokenGate
{
    public const string Cookie = "edgeops_token";

    public static IApplicationBuilder UseEdgeOpsToken(this IApplicationBuilder app, WebOptions options)
    {
        if (!options.TokenRequired)
        {
            return app;
        }

        var expected = Encoding.UTF8.GetBytes(options.Token!);
        return app.Use(async (context, next) =>
        {
            var path = context.Request.Path;
            if (path.StartsWithSegments("/healthz") || path.StartsWithSegments("/readyz"))
            {
                await next(context).ConfigureAwait(false);
                return;
            }

            var header = context.Request.Headers.Authorization.ToString();
            var fromQuery = context.Request.Query["token"].ToString();
            var presented = header.StartsWith("Bearer ", StringComparison.Ordinal) ? header["Bearer ".Length..]
                : fromQuery.Length > 0 ? fromQuery
                : context.Request.Cookies[Cookie] ?? "";
            if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), expected))
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                context.Response.Headers.WWWAuthenticate = "Bearer";
                await context.Response.WriteAsync("token required", context.RequestAborted).ConfigureAwait(false);
                return;
            }

            if (fromQuery.Length > 0)
            {
                context.Response.Cookies.Append(Cookie, presented,
                    new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, Path = "/" });
            }

            await next(context).ConfigureAwait(false);
        });
    }
}
