namespace EdgeOps.Publishing.Mqtt;

/// <summary>
/// A username and password for the broker. Read from environment variables or a credentials file; its
/// <see cref="ToString"/> never shows the password, and nothing logs it.
/// </summary>
public sealed class MqttCredentials
{
    private MqttCredentials(string username, string password, string source)
    {
        Username = username;
        Password = password;
        Source = source;
    }

    /// <summary>Username.</summary>
    public string Username { get; }

    /// <summary>Password.</summary>
    public string Password { get; }

    /// <summary>Where they came from (a variable name or file path), for error messages.</summary>
    public string Source { get; }

    /// <summary>
    /// The settings <c>EdgeOps:Mqtt:Username</c>/<c>Password</c> first (env file, systemd credential, any
    /// configuration source), then <see cref="MqttOptions.Credentials"/>; null when none is configured (anonymous).
    /// </summary>
    public static MqttCredentials? Resolve(MqttOptions options, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!string.IsNullOrEmpty(options.Username))
        {
            return new MqttCredentials(options.Username, options.Password ?? string.Empty, "settings EdgeOps:Mqtt:Username/Password");
        }

        if (!string.IsNullOrEmpty(options.Password))
        {
            throw new FormatException("EdgeOps:Mqtt:Password is set but EdgeOps:Mqtt:Username is empty: set both (EdgeOps__Mqtt__Username in /etc/edgeops/edgeops.env).");
        }

        return Resolve(options.Credentials, environment);
    }

    /// <summary>Credentials made in the process (the embedded broker's login for the gateway's own publisher).</summary>
    public static MqttCredentials Create(string username, string password, string source) => new(username, password, source);

    /// <summary>Environment variables first, then the file; null when neither is configured (anonymous).</summary>
    public static MqttCredentials? Resolve(MqttCredentialsOptions options, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        environment ??= Environment.GetEnvironmentVariable;
        var username = environment(options.UsernameVariable);
        var password = environment(options.PasswordVariable);
        if (!string.IsNullOrEmpty(username))
        {
            return new MqttCredentials(username, password ?? string.Empty, $"environment variables {options.UsernameVariable}/{options.PasswordVariable}");
        }

        if (string.IsNullOrEmpty(options.File))
        {
            return null;
        }

        if (!File.Exists(options.File))
        {
            throw new FileNotFoundException($"EdgeOps:Mqtt:Credentials:File: '{options.File}' does not exist.", options.File);
        }

        string? fileUser = null;
        string? filePassword = null;
        var lineNumber = 0;
        foreach (var raw in File.ReadLines(options.File))
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var eq = line.IndexOf('=', StringComparison.Ordinal);
            var key = eq < 0 ? line : line[..eq].Trim();
            switch (key)
            {
                case "username":
                    fileUser = line[(eq + 1)..].Trim();
                    break;
                case "password":
                    filePassword = line[(eq + 1)..];
                    break;
                default:
                    // The line may hold a secret: name only its number and key.
                    throw new FormatException(
                        $"{options.File} line {lineNumber}: expected 'username=...' or 'password=...', found key '{(eq < 0 ? "(no '=')" : key)}'.");
            }
        }

        if (string.IsNullOrEmpty(fileUser))
        {
            throw new FormatException($"{options.File}: no 'username=' line.");
        }

        return new MqttCredentials(fileUser, filePassword ?? string.Empty, options.File);
    }

    /// <inheritdoc />
    public override string ToString() => $"credentials from {Source}";
}
