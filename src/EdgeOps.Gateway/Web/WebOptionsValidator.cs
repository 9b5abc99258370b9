using System.Globalization;
using Microsoft.Extensions.Options;

namespace EdgeOps.Gateway.Web;

/// <summary>
/// The rules across <see cref="WebOptions"/>' keys (a token or users beyond loopback, users' names and tokens), each
/// message naming the key and the value found. Registered with <c>AddOptionsWithValidateOnStart</c>, and run by the
/// settings check before the host is built (<c>GatewaySettings</c>).
/// </summary>
internal sealed class WebOptionsValidator : IValidateOptions<WebOptions>
{
    public ValidateOptionsResult Validate(string? name, WebOptions options)
    {
        var errors = Errors(options);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>Every problem with <paramref name="options"/>, each naming its configuration key; empty when they are usable.</summary>
    public static IReadOnlyList<string> Errors(WebOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (options.BeyondLoopback && string.IsNullOrEmpty(options.Token) && options.Users.Count == 0)
        {
            errors.Add($"{WebOptions.Section}:Urls is '{options.Urls}', beyond 127.0.0.1: set {WebOptions.Section}:Token or {WebOptions.Section}:Users (or bind to http://127.0.0.1).");
        }

        if (options.Token is { Length: > 0 } token && token.Length < WebOptions.MinimumTokenLength)
        {
            // The length only, never the token: this message goes to the journal.
            errors.Add(string.Create(CultureInfo.InvariantCulture,
                $"{WebOptions.Section}:Token has {token.Length} characters; use at least {WebOptions.MinimumTokenLength} (e.g. openssl rand -hex 16)."));
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Users.Count; i++)
        {
            var user = options.Users[i];
            var key = string.Create(CultureInfo.InvariantCulture, $"{WebOptions.Section}:Users:{i}");
            if (string.IsNullOrWhiteSpace(user.Name))
            {
                errors.Add($"{key}:Name: a user needs a name (it is recorded with the reasons they assign).");
            }
            else if (!names.Add(user.Name))
            {
                errors.Add($"{key}:Name: user '{user.Name}' is configured twice.");
            }

            var hasToken = !string.IsNullOrEmpty(user.Token);
            var hasHash = !string.IsNullOrEmpty(user.TokenSha256);
            if (hasToken == hasHash)
            {
                errors.Add($"{key}: set exactly one of Token and TokenSha256 for user '{user.Name}'.");
            }
            else if (hasToken && user.Token!.Length < 12)
            {
                errors.Add($"{key}:Token: user '{user.Name}' has a token of {user.Token.Length} characters; use at least 12.");
            }
            else if (hasHash && (user.TokenSha256!.Length != 64 || !user.TokenSha256.All(Uri.IsHexDigit)))
            {
                errors.Add($"{key}:TokenSha256: expected 64 hex digits (sha256sum of the token), got '{user.TokenSha256}'.");
            }
        }

        return errors;
    }
}
