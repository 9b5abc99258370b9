namespace EdgeOps.Core.Model;

/// <summary>Line-level OPC UA settings: the servers (endpoints) the line's signals are read from.</summary>
public sealed record OpcUaSourceDefinition
{
    /// <summary>One session per endpoint; signals name the endpoint they come from.</summary>
    public IReadOnlyList<OpcUaEndpointDefinition> Endpoints { get; init; } = [];
}

/// <summary>One OPC UA server. Credentials come from environment variables, never from the file.</summary>
public sealed record OpcUaEndpointDefinition
{
    /// <summary>Name signals refer to (<c>endpoint: plc1</c>).</summary>
    public required string Name { get; init; }

    /// <summary>The server URL, <c>opc.tcp://host:4840[/path]</c>.</summary>
    public required string Url { get; init; }

    /// <summary>Environment variable holding the user name; null connects anonymously.</summary>
    public string? UsernameEnv { get; init; }

    /// <summary>Environment variable holding the password.</summary>
    public string? PasswordEnv { get; init; }

    /// <summary>How often the server sends changes. Default 500 ms.</summary>
    public TimeSpan PublishingInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How often the server samples each node unless a signal says otherwise. Default 100 ms.</summary>
    public TimeSpan SamplingInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Changes the server queues per node between publishes (a fast counter loses none). Default 10.</summary>
    public uint QueueSize { get; init; } = 10;

    /// <summary>None, Sign or SignAndEncrypt; null picks the most secure the server offers that EdgeOps supports.</summary>
    public string? SecurityMode { get; init; }

    /// <summary>Basic256Sha256, Aes128_Sha256_RsaOaep, Aes256_Sha256_RsaPss or None; null picks the strongest offered.</summary>
    public string? SecurityPolicy { get; init; }

    /// <summary>Accept exactly the server certificate with this SHA-1 thumbprint (pinning) instead of the trust list.</summary>
    public string? ServerThumbprint { get; init; }

    /// <summary>Check the endpoint's host name against the server certificate. Default true.</summary>
    public bool CheckServerHostName { get; init; } = true;

    /// <summary>Allow the password to travel readable (no encryption available). Default false.</summary>
    public bool AllowPlaintextPassword { get; init; }

    /// <summary>Allow the deprecated Basic128Rsa15 to encrypt the password. Default false.</summary>
    public bool AllowBasic128Rsa15 { get; init; }
}
