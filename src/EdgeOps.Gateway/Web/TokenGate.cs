using System.Security.Cryptography;
using System.Text;

namespace EdgeOps.Gateway.Web;

/// <summary>
/// Refuses requests without a valid token: the shared <see cref="WebOptions.Token"/> or a configured user's. Presented as
/// <c>Authorization: Bearer</c>, query <c>token</c>, the cookie set after a valid query token (so the board's EventSource
/// and fetches work after one link with ?token=), or, when users are configured, HTTP Basic with the user's name and
/// token (the browser's own login prompt on a tablet). Probes (/healthz, /readyz) stay open: they reveal nothing and
/// systemd/Kubernetes call them without secrets.
/// </summary>
internal static class TokenGate
{
    public const string Cookie = "edgeops_token";
    private const string UserItem = "edgeops.user";

    /// <summary>The configured user the request signed in as; null for the shared token or an open loopback board.</summary>
    public static string? UserOf(HttpContext context) => context?.Items[UserItem] as string;

    public static IApplicationBuilder UseEdgeOpsToken(this IApplicationBuilder app, WebOptions options)
    {
        if (!options.TokenRequired)
        {
            return app;
        }

        var shared = string.IsNullOrEmpty(options.Token) ? null : Hash(options.Token);
        var users = options.Users
            .Select(u => (u.Name, Hash: u.Token is { Length: > 0 } t ? Hash(t) : Convert.FromHexString(u.TokenSha256!)))
            .ToList();
        var challenge = users.Count > 0 ? "Basic realm=\"EdgeOps\", charset=\"UTF-8\"" : "Bearer";
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
            string? basicUser = null;
            string presented;
            if (header.StartsWith("Bearer ", StringComparison.Ordinal))
            {
                presented = header["Bearer ".Length..];
            }
            else if (header.StartsWith("Basic ", StringComparison.Ordinal) && DecodeBasic(header["Basic ".Length..]) is { } basic)
            {
                (basicUser, presented) = basic;
            }
            else
            {
                presented = fromQuery.Length > 0 ? fromQuery : context.Request.Cookies[Cookie] ?? "";
            }

            // Compare hashes in constant time: the length of the token leaks nothing either.
            var hash = Hash(presented);
            string? user = null;
            var valid = basicUser is null && shared is not null && CryptographicOperations.FixedTimeEquals(hash, shared);
            foreach (var (name, expected) in users)
            {
                if (CryptographicOperations.FixedTimeEquals(hash, expected) && (basicUser is null || basicUser == name))
                {
                    valid = true;
                    user = name;
                }
            }

            if (!valid)
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                context.Response.Headers.WWWAuthenticate = challenge;
                await context.Response.WriteAsync("token required", context.RequestAborted).ConfigureAwait(false);
                return;
            }

            context.Items[UserItem] = user;
            if (fromQuery.Length > 0)
            {
                context.Response.Cookies.Append(Cookie, presented,
                    new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, Path = "/" });
            }

            await next(context).ConfigureAwait(false);
        });
    }

    private static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    private static (string User, string Token)? DecodeBasic(string encoded)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            return colon <= 0 ? null : (text[..colon], text[(colon + 1)..]);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
