using System.Text;

namespace Microsoft.Extensions.Configuration;

/// <summary>Secrets from systemd credentials (<c>LoadCredential=</c>) as configuration keys.</summary>
public static class SystemdCredentialsConfigurationExtensions
{
    /// <summary>The credential id the unit loads <c>/etc/edgeops/credentials/</c> under; systemd prefixes each file with it.</summary>
    public const string CredentialPrefix = "edgeops_";

    /// <summary>
    /// Adds one key per file of <c>$CREDENTIALS_DIRECTORY</c>: the file name is the key with <c>__</c> for <c>:</c>
    /// (as for environment variables), the content is the value. The unit's
    /// <c>LoadCredential=edgeops:/etc/edgeops/credentials</c> names a file <c>EdgeOps__Mqtt__Password</c> there
    /// <c>edgeops_EdgeOps__Mqtt__Password</c>; the <c>edgeops_</c> prefix is dropped. One trailing newline is
    /// dropped too (editors add it). Nothing is added outside systemd.
    /// </summary>
    public static IConfigurationBuilder AddSystemdCredentials(this IConfigurationBuilder builder, string? credentialsDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var directory = credentialsDirectory ?? Environment.GetEnvironmentVariable("CREDENTIALS_DIRECTORY");
        if (string.IsNullOrEmpty(directory) || !Directory.Exists(directory))
        {
            return builder;
        }

        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var file in Directory.EnumerateFiles(directory))
        {
            var name = Path.GetFileName(file);
            if (name.StartsWith(CredentialPrefix, StringComparison.Ordinal))
            {
                name = name[CredentialPrefix.Length..];
            }

            var value = File.ReadAllText(file, Encoding.UTF8);
            if (value.EndsWith('\n'))
            {
                value = value[..^(value.EndsWith("\r\n", StringComparison.Ordinal) ? 2 : 1)];
            }

            values[name.Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal)] = value;
        }

        return builder.Add(new SystemdCredentialsConfigurationSource(values));
    }

    /// <summary>The credentials read at start; a type of its own so a settings error can say "credential file".</summary>
    private sealed class SystemdCredentialsConfigurationSource(Dictionary<string, string?> values) : IConfigurationSource
    {
        public IConfigurationProvider Build(IConfigurationBuilder builder) => new SystemdCredentialsConfigurationProvider(values);
    }

    private sealed class SystemdCredentialsConfigurationProvider : ConfigurationProvider
    {
        public SystemdCredentialsConfigurationProvider(Dictionary<string, string?> values)
        {
            Data = new Dictionary<string, string?>(values, StringComparer.OrdinalIgnoreCase);
        }
    }
}
