using EdgeOps.Contract;
using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace EdgeOps.Publishing.Mqtt.Broker;

/// <summary>
/// Who may connect to the embedded broker and what each may publish. Pure: the broker asks it at CONNECT and at every
/// PUBLISH (wills included), so the rules are tested here without a socket.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>The gateway's own publisher connects with its client id and a secret made at start (<see cref="GatewayCredentials"/>);
/// anyone else asking for that client id is refused, so nobody can take over its session or its last will.</item>
/// <item>Only the gateway publishes under <c>edgeops/</c> and <c>spBv1.0/</c> (its tree and its status), except command
/// topics <c>.../{machine}/cmd/{verb}</c>, which users with the <c>commands</c> role may publish.</item>
/// <item>Anonymous clients only from loopback; read-only unless <see cref="EmbeddedBrokerOptions.Anonymous"/> says otherwise.</item>
/// </list>
/// </remarks>
public sealed class BrokerAccessPolicy
{
    /// <summary>The role that may publish commands.</summary>
    public const string CommandsRole = "commands";

    /// <summary>The user name a command from an anonymous client carries (with <see cref="AnonymousAccess.Commands"/>).</summary>
    public const string AnonymousUser = "anonymous";

    private static readonly string[] KnownRoles = [CommandsRole];

    private readonly string _gatewayClientId;
    private readonly AnonymousAccess _anonymous;
    private readonly Dictionary<string, User> _users = new(StringComparer.Ordinal);

    // PBKDF2 costs about a tenth of a second per check on a Pi: remember the last password that verified per user (as a
    // salted SHA-256), so a client reconnecting every few seconds does not keep a core busy.
    private readonly ConcurrentDictionary<string, byte[]> _verified = new(StringComparer.Ordinal);
    private readonly byte[] _cacheSalt = RandomNumberGenerator.GetBytes(16);

    /// <summary>Validates <paramref name="options"/> (throws naming every bad key) and makes the gateway's secret.</summary>
    public BrokerAccessPolicy(EmbeddedBrokerOptions options, string gatewayClientId)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(gatewayClientId);
        var errors = Validate(options);
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(Environment.NewLine, errors), nameof(options));
        }

        _gatewayClientId = gatewayClientId;
        _anonymous = options.Anonymous;
        foreach (var (name, user) in options.Users)
        {
            _users[name] = new User(user.PasswordHash, string.IsNullOrEmpty(user.PasswordHash) ? user.Password : null,
                user.Roles.Contains(CommandsRole, StringComparer.Ordinal));
        }

        // A user name no configured user can have ('$' is refused in Validate), a password nobody else knows.
        GatewayCredentials = MqttCredentials.Create("$gateway", Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            "the embedded broker (made at start)");
    }

    /// <summary>What the gateway's own publisher connects with.</summary>
    public MqttCredentials GatewayCredentials { get; }

    /// <summary>Every problem of <paramref name="options"/>, each naming the key and the value found.</summary>
    public static IReadOnlyList<string> Validate(EmbeddedBrokerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        const string Prefix = "EdgeOps:Mqtt:EmbeddedBroker";
        var errors = new List<string>();
        if (!IPAddress.TryParse(options.BindAddress, out _))
        {
            errors.Add($"{Prefix}:BindAddress = '{options.BindAddress}' is not an IP address (e.g. 127.0.0.1 or 0.0.0.0).");
        }

        if (!Enum.IsDefined(options.Anonymous))
        {
            errors.Add($"{Prefix}:Anonymous = '{options.Anonymous}' is not ReadOnly, Off or Commands.");
        }

        foreach (var (name, user) in options.Users)
        {
            var key = $"{Prefix}:Users:{name}";
            if (string.IsNullOrWhiteSpace(name) || name.StartsWith('$') || name == AnonymousUser
                || name.AsSpan().IndexOfAny("/+#:\0") >= 0)
            {
                errors.Add($"{key}: the user name '{name}' may not be empty, '{AnonymousUser}', start with '$' or contain '/', '+', '#', ':'.");
            }

            if (user is null)
            {
                errors.Add($"{key}: no settings; give PasswordHash (edgeops broker hash-password) or Password (systemd credential).");
                continue;
            }

            if (!string.IsNullOrEmpty(user.PasswordHash))
            {
                if (BrokerPasswordHash.Validate(user.PasswordHash) is { } problem)
                {
                    errors.Add($"{key}:PasswordHash {problem}.");
                }
            }
            else if (string.IsNullOrEmpty(user.Password))
            {
                errors.Add($"{key}: neither PasswordHash nor Password is set; make a hash with: edgeops broker hash-password");
            }

            foreach (var role in user.Roles)
            {
                if (!KnownRoles.Contains(role, StringComparer.Ordinal))
                {
                    errors.Add($"{key}:Roles: unknown role '{role}'; known: {string.Join(", ", KnownRoles)}.");
                }
            }
        }

        return errors;
    }

    /// <summary>
    /// Decides a CONNECT. Returns the identity, or null with <paramref name="refusal"/> (for the log and the CONNACK reason
    /// string; never the password) and <paramref name="kind"/> (a wrong login, a reserved client id, or a client not let in).
    /// </summary>
    public BrokerIdentity? Authenticate(string? clientId, string? userName, ReadOnlySpan<byte> password, IPAddress? remote,
        out string? refusal, out BrokerRefusal kind)
    {
        kind = BrokerRefusal.None;
        refusal = null;
        var isGatewayId = string.Equals(clientId, _gatewayClientId, StringComparison.Ordinal);
        if (string.Equals(userName, GatewayCredentials.Username, StringComparison.Ordinal))
        {
            if (isGatewayId && FixedTimeEquals(password, GatewayCredentials.Password))
            {
                return BrokerIdentity.Gateway;
            }

            kind = BrokerRefusal.BadCredentials;
            refusal = "the gateway's own login is for its client id only";
            return null;
        }

        if (isGatewayId)
        {
            kind = BrokerRefusal.ReservedClientId;
            refusal = $"client id '{clientId}' is the gateway's own and reserved";
            return null;
        }

        if (string.IsNullOrEmpty(userName))
        {
            kind = BrokerRefusal.NotAuthorized;
            if (_anonymous == AnonymousAccess.Off)
            {
                refusal = "anonymous access is off (EdgeOps:Mqtt:EmbeddedBroker:Anonymous = Off)";
                return null;
            }

            if (remote is null || !IPAddress.IsLoopback(remote))
            {
                refusal = $"anonymous clients are accepted from loopback only, not from {remote}";
                return null;
            }

            kind = BrokerRefusal.None;
            return new BrokerIdentity(AnonymousUser, IsGateway: false, MayCommand: _anonymous == AnonymousAccess.Commands, MayPublishOther: false);
        }

        if (!_users.TryGetValue(userName, out var user) || !Verify(userName, user, password))
        {
            kind = BrokerRefusal.BadCredentials;
            refusal = $"bad user name or password for '{userName}'";
            return null;
        }

        return new BrokerIdentity(userName, IsGateway: false, MayCommand: user.MayCommand, MayPublishOther: true);
    }

    /// <summary>Identity of a connected client from what the broker knows at a PUBLISH (it authenticated at CONNECT).</summary>
    public BrokerIdentity IdentityOf(string? clientId, string? userName)
    {
        if (string.Equals(clientId, _gatewayClientId, StringComparison.Ordinal)
            && string.Equals(userName, GatewayCredentials.Username, StringComparison.Ordinal))
        {
            return BrokerIdentity.Gateway;
        }

        if (string.IsNullOrEmpty(userName))
        {
            return new BrokerIdentity(AnonymousUser, false, _anonymous == AnonymousAccess.Commands, false);
        }

        return _users.TryGetValue(userName, out var user)
            ? new BrokerIdentity(userName, false, user.MayCommand, true)
            : new BrokerIdentity(userName, false, false, false);
    }

    /// <summary>Whether <paramref name="who"/> may publish to <paramref name="topic"/>; <paramref name="refusal"/> says why not.</summary>
    public static bool MayPublish(BrokerIdentity who, string topic, out string? refusal)
    {
        ArgumentNullException.ThrowIfNull(who);
        ArgumentNullException.ThrowIfNull(topic);
        refusal = null;
        if (who.IsGateway)
        {
            return true;
        }

        if (MqttTopics.ParseCommand(topic) is not null)
        {
            if (who.MayCommand)
            {
                return true;
            }

            refusal = $"'{who.User}' may not send commands (needs the '{CommandsRole}' role)";
            return false;
        }

        if (IsProtected(topic))
        {
            refusal = $"only the gateway publishes under '{topic[..topic.IndexOf('/', StringComparison.Ordinal)]}/'";
            return false;
        }

        if (!who.MayPublishOther)
        {
            refusal = $"'{who.User}' may only subscribe";
            return false;
        }

        return true;
    }

    private static bool IsProtected(string topic) =>
        topic.StartsWith("edgeops/", StringComparison.Ordinal) || topic.StartsWith("spBv1.0/", StringComparison.Ordinal);

    private bool Verify(string name, User user, ReadOnlySpan<byte> password)
    {
        if (user.Hash is null)
        {
            return user.Password is not null && FixedTimeEquals(password, user.Password);
        }

        var fingerprint = Fingerprint(password);
        if (_verified.TryGetValue(name, out var known) && CryptographicOperations.FixedTimeEquals(known, fingerprint))
        {
            return true;
        }

        if (!BrokerPasswordHash.Verify(user.Hash, Encoding.UTF8.GetString(password)))
        {
            return false;
        }

        _verified[name] = fingerprint;
        return true;
    }

    private byte[] Fingerprint(ReadOnlySpan<byte> password)
    {
        var buffer = new byte[_cacheSalt.Length + password.Length];
        _cacheSalt.CopyTo(buffer, 0);
        password.CopyTo(buffer.AsSpan(_cacheSalt.Length));
        return SHA256.HashData(buffer);
    }

    private static bool FixedTimeEquals(ReadOnlySpan<byte> given, string expected) =>
        CryptographicOperations.FixedTimeEquals(given, Encoding.UTF8.GetBytes(expected));

    private sealed record User(string? Hash, string? Password, bool MayCommand);
}

/// <summary>Why a CONNECT was refused (it becomes the CONNACK reason code).</summary>
public enum BrokerRefusal
{
    /// <summary>Accepted.</summary>
    None,

    /// <summary>Unknown user or wrong password.</summary>
    BadCredentials,

    /// <summary>The gateway's own client id, asked for by someone else.</summary>
    ReservedClientId,

    /// <summary>Anonymous where it is not allowed.</summary>
    NotAuthorized,
}

/// <summary>A client the embedded broker accepted: its user (or <c>anonymous</c>) and what it may do.</summary>
public sealed record BrokerIdentity(string User, bool IsGateway, bool MayCommand, bool MayPublishOther)
{
    /// <summary>The gateway's own publisher.</summary>
    public static BrokerIdentity Gateway { get; } = new("$gateway", true, true, true);
}
