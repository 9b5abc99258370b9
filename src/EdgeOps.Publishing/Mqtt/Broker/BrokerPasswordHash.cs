using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace EdgeOps.Publishing.Mqtt.Broker;

/// <summary>
/// Password hashes for the embedded broker's users: <c>pbkdf2-sha256$&lt;iterations&gt;$&lt;salt, base64&gt;$&lt;hash, base64&gt;</c>
/// (PBKDF2 with HMAC-SHA256, 16-byte salt, 32-byte hash). Printed by <c>edgeops broker hash-password</c>.
/// </summary>
public static class BrokerPasswordHash
{
    /// <summary>The prefix naming the scheme.</summary>
    public const string Scheme = "pbkdf2-sha256";

    /// <summary>Iterations of a new hash (OWASP's 2023 figure for PBKDF2-HMAC-SHA256).</summary>
    public const int DefaultIterations = 600_000;

    /// <summary>Fewest iterations accepted: below that a leaked settings file is brute-forced too cheaply.</summary>
    public const int MinIterations = 10_000;

    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    /// <summary>A new hash of <paramref name="password"/> with a random salt.</summary>
    public static string Create(string password, int iterations = DefaultIterations)
    {
        ArgumentException.ThrowIfNullOrEmpty(password);
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, MinIterations);
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, HashBytes);
        return string.Create(CultureInfo.InvariantCulture, $"{Scheme}${iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}");
    }

    /// <summary>Checks the format; the error says what is wrong without echoing the value (it is half a secret).</summary>
    public static string? Validate(string encoded) => TryParse(encoded, out _, out _, out _, out var error) ? null : error;

    /// <summary>True when <paramref name="password"/> matches <paramref name="encoded"/> (constant time).</summary>
    public static bool Verify(string encoded, string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        if (!TryParse(encoded, out var iterations, out var salt, out var expected, out _))
        {
            return false;
        }

        var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    private static bool TryParse(string encoded, out int iterations, out byte[] salt, out byte[] hash, out string? error)
    {
        iterations = 0;
        salt = [];
        hash = [];
        var parts = (encoded ?? string.Empty).Split('$');
        if (parts.Length != 4 || parts[0] != Scheme)
        {
            error = $"is not '{Scheme}$<iterations>$<salt>$<hash>' (make one with: edgeops broker hash-password)";
            return false;
        }

        if (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out iterations) || iterations < MinIterations)
        {
            error = $"has {parts[1]} iterations; at least {MinIterations} are needed";
            return false;
        }

        try
        {
            salt = Convert.FromBase64String(parts[2]);
            hash = Convert.FromBase64String(parts[3]);
        }
        catch (FormatException)
        {
            error = "has a salt or hash that is not base64";
            return false;
        }

        if (salt.Length < 8 || hash.Length < 16)
        {
            error = $"has a {salt.Length}-byte salt and a {hash.Length}-byte hash; at least 8 and 16 are needed";
            return false;
        }

        error = null;
        return true;
    }
}
