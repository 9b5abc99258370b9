namespace EdgeOps.Gateway.Web;

/// <summary><c>EdgeOps:Web</c>: where the live view listens and the token it needs beyond loopback.</summary>
public sealed class WebOptions
{
    public const string Section = "EdgeOps:Web";
    public const string DefaultUrls = "http://127.0.0.1:8080";

    /// <summary>Kestrel URLs, ';'-separated.</summary>
    public string Urls { get; set; } = DefaultUrls;

    /// <summary>Bearer token; required when <see cref="Urls"/> reaches beyond 127.0.0.1/localhost/[::1].</summary>
    public string? Token { get; set; }

    /// <summary>
    /// True unless every URL is the loopback host itself. Other 127.x addresses count as "beyond": a deliberate
    /// choice to bind elsewhere should always come with a token.
    /// </summary>
    public bool BeyondLoopback => Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Any(u => !Uri.TryCreate(u.Replace("*", "any", StringComparison.Ordinal).Replace("+", "any", StringComparison.Ordinal),
            UriKind.Absolute, out var uri) || uri.Host is not ("127.0.0.1" or "localhost" or "[::1]"));

    /// <summary>True when requests must carry the token (beyond loopback, or whenever one is configured).</summary>
    public bool TokenRequired => BeyondLoopback || !string.IsNullOrEmpty(Token);
}
