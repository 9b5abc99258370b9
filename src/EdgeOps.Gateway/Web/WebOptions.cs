namespace EdgeOps.Gateway.Web;

/// <summary><c>EdgeOps:Web</c>: where the live view listens, and the token or users it needs beyond loopback.</summary>
public sealed class WebOptions
{
    public const string Section = "EdgeOps:Web";
    public const string DefaultUrls = "http://127.0.0.1:8080";

    /// <summary>Kestrel URLs, ';'-separated.</summary>
    public string Urls { get; set; } = DefaultUrls;

    /// <summary>Shared bearer token (a floor TV's link); one of token or users is required beyond 127.0.0.1.</summary>
    public string? Token { get; set; }

    /// <summary>
    /// Host names (';'-separated, no ports) the live view answers to; others get 400. Default: the loopback names when
    /// bound to loopback only, any host otherwise. Set it to the gateway's DNS name when it is reachable from the plant.
    /// </summary>
    public string? AllowedHosts { get; set; }

    /// <summary>Shortest shared <see cref="Token"/> accepted: 16 characters (e.g. <c>openssl rand -hex 16</c> gives 32).</summary>
    public const int MinimumTokenLength = 16;

    /// <summary>
    /// Named users (<c>EdgeOps:Web:Users:0:Name</c>, <c>...:Token</c> or <c>...:TokenSha256</c>): each signs in with
    /// their own token (bearer, link, or the browser's login prompt as name and token), and the stops they explain
    /// carry their name.
    /// </summary>
    public IList<WebUser> Users { get; } = [];

    /// <summary>
    /// True unless every URL is the loopback host itself. Other 127.x addresses count as "beyond": a deliberate
    /// choice to bind elsewhere should always come with a token.
    /// </summary>
    public bool BeyondLoopback => Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Any(u => !Uri.TryCreate(u.Replace("*", "any", StringComparison.Ordinal).Replace("+", "any", StringComparison.Ordinal),
            UriKind.Absolute, out var uri) || uri.Host is not ("127.0.0.1" or "localhost" or "[::1]"));

    /// <summary>True when requests must carry a token (beyond loopback, or whenever a token or a user is configured).</summary>
    public bool TokenRequired => BeyondLoopback || !string.IsNullOrEmpty(Token) || Users.Count > 0;
}

/// <summary>One configured live-view user.</summary>
public sealed class WebUser
{
    public string Name { get; set; } = "";

    /// <summary>The user's token in clear (from a credentials file or the environment, never the repo).</summary>
    public string? Token { get; set; }

    /// <summary>Or its SHA-256 in hex, so the configuration file holds no secret: <c>printf %s "$TOKEN" | sha256sum</c>.</summary>
    public string? TokenSha256 { get; set; }
}
