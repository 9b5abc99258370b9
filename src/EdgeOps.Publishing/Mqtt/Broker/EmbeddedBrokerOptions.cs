namespace EdgeOps.Publishing.Mqtt.Broker;

/// <summary>
/// Access control of the embedded broker (config section <c>EdgeOps:Mqtt:EmbeddedBroker</c>; docs/mqtt-contract.md).
/// Anonymous clients are accepted only from loopback and only to read, unless <see cref="Anonymous"/> says otherwise;
/// publishing commands needs a user with the <c>commands</c> role.
/// </summary>
public sealed class EmbeddedBrokerOptions
{
    /// <summary>
    /// Address the broker listens on: <c>127.0.0.1</c> (default, this device only) or another local address / <c>0.0.0.0</c>
    /// so an HMI on the plant network can connect (it then needs a user: anonymous access is loopback only).
    /// </summary>
    public string BindAddress { get; set; } = "127.0.0.1";

    /// <summary>What clients without a username may do (only ever from loopback): <c>ReadOnly</c> (default), <c>Off</c>, <c>Commands</c>.</summary>
    public AnonymousAccess Anonymous { get; set; } = AnonymousAccess.ReadOnly;

    /// <summary>Users by name (<c>EdgeOps:Mqtt:EmbeddedBroker:Users:{name}:PasswordHash</c>, <c>...:Roles:0=commands</c>).</summary>
    public Dictionary<string, EmbeddedBrokerUserOptions> Users { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>One user of the embedded broker.</summary>
public sealed class EmbeddedBrokerUserOptions
{
    /// <summary>
    /// <c>pbkdf2-sha256$iterations$salt$hash</c> as printed by <c>edgeops broker hash-password</c>: safe in appsettings.
    /// </summary>
    public string? PasswordHash { get; set; }

    /// <summary>
    /// The password itself: only from a systemd credential (<c>EdgeOps__Mqtt__EmbeddedBroker__Users__{name}__Password</c>)
    /// or the environment, never from a file in the repository. <see cref="PasswordHash"/> wins when both are set.
    /// </summary>
    public string? Password { get; set; }

    /// <summary>Roles: <c>commands</c> may publish <c>.../cmd/{verb}</c>. Without roles a user reads and publishes outside EdgeOps topics.</summary>
    public List<string> Roles { get; set; } = [];
}

/// <summary>What a client that gives no username may do.</summary>
public enum AnonymousAccess
{
    /// <summary>Subscribe only (the default: <c>mosquitto_sub</c> on the device works, nothing can be changed).</summary>
    ReadOnly,

    /// <summary>Refused.</summary>
    Off,

    /// <summary>Read and send commands (a bench or a single-user device; the reply names the user <c>anonymous</c>).</summary>
    Commands,
}
