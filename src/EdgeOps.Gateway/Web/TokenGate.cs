using System.Security.Cryptography;
using System.Text;

namespace EdgeOps.Gateway.Web;

/// <summary>
/// Refuses requests without a valid token: the shared <see cref="WebOptions.Token"/> or a configured user's. Presented as
/// <c>Authorization: Bearer</c>, query <c>token</c>, the cookie set after a valid query token (so the board's EventSource
/// and fetches work after one link with ?token=), or, when users are configured, HTTP Basic with the user's name and
/// token (the browser's own login prompt on a tablet). Probes (/healthz, /readyz) stay open: they reveal nothing and
/// systemd/Kubernetes call them without secrets.
/// <para>
/// A link with ?token= sets the cookie and redirects to the same URL without the token, so it does not stay in the
/// address bar, the history or a proxy's log (the gateway's own request log is off for the same reason:
/// <see cref="WebSetup"/>). The cookie is <c>Secure</c> over HTTPS. Refused tokens are throttled per address
/// (<see cref="LoginThrottle"/>). Whether a token is needed is decided again from the addresses Kestrel actually bound
/// (<see cref="BoundAddresses"/>): a bind beyond loopback through <c>Kestrel:Endpoints</c> or <c>ASPNETCORE_URLS</c>
/// gets the gate even when <see cref="WebOptions.Urls"/> says loopback.
/// </para>
/// </summary>
internal static class TokenGate
{
    public const string Cookie = "edgeops_token";
    private const string UserItem = "edgeops.user";

    /// <summary>The configured user the request signed in as; null for the shared token or an open loopback board.</summary>
    public static string? UserOf(HttpContext context) => context?.Items[UserItem] as string;

    public static IApplicationBuilder UseEdgeOpsToken(this IApplicationBuilder app, WebOptions options, BoundAddresses bound,
        LoginThrottle throttle)
    {
        var shared = string.IsNullOrEmpty(options.Token) ? null : Hash(options.Token);
        var users = options.Users
            .Select(u => (u.Name, Hash: u.Token is { Length: > 0 } t ? Hash(t) : Convert.FromHexString(u.TokenSha256!)))
            .ToList();
        var challenge = users.Count > 0 ? "Basic realm=\"EdgeOps\", charset=\"UTF-8\"" : "Bearer";
        return app.Use(async (context, next) =>
        {
            var path = context.Request.Path;
            if ((!options.TokenRequired && !bound.BeyondLoopback) || path.StartsWithSegments("/healthz") || path.StartsWithSegments("/readyz"))
            {
                await next(context).ConfigureAwait(false);
                return;
            }

            var remote = context.Connection.RemoteIpAddress;
            if (throttle.Blocked(remote) is { } wait && wait > TimeSpan.Zero)
            {
                context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                context.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                await context.Response.WriteAsync("too many refused tokens; try again later", context.RequestAborted).ConfigureAwait(false);
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
                throttle.Failed(remote);
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                context.Response.Headers.WWWAuthenticate = challenge;
                await context.Response.WriteAsync("token required", context.RequestAborted).ConfigureAwait(false);
                return;
            }

            throttle.Succeeded(remote);
            context.Items[UserItem] = user;
            if (fromQuery.Length > 0)
            {
                context.Response.Cookies.Append(Cookie, presented,
                    new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, Path = "/", Secure = context.Request.IsHttps });
                if (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
                {
                    // The cookie carries it from here: the same page without the token in its URL.
                    context.Response.Redirect(WithoutToken(context.Request));
                    return;
                }
            }

            await next(context).ConfigureAwait(false);
        });
    }

    private static string WithoutToken(HttpRequest request)
    {
        var rest = request.Query.Where(q => !string.Equals(q.Key, "token", StringComparison.Ordinal))
            .SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string?>(q.Key, v)));
        return request.PathBase + request.Path + QueryString.Create(rest);
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
