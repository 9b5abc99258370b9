using System.Globalization;
using EdgeOps.OpcUa;
using EdgeOps.OpcUa.Client;
using EdgeOps.OpcUa.Security;
using EdgeOps.OpcUa.Types;

namespace EdgeOps.Gateway.Cli;

/// <summary>
/// Arguments shared by the <c>edgeops opcua</c> verbs: an endpoint URL, positional words, and <c>--name value</c>
/// options. Credentials: <c>--user NAME</c> with the password in the environment variable named by
/// <c>--password-env</c> (default EDGEOPS_OPCUA_PASSWORD), never on the command line. Security: <c>--security
/// None|Sign|SignAndEncrypt</c> and <c>--policy NAME</c> (default: the most secure offered), the certificate store under
/// <c>--data DIR</c> (the gateway's data directory: <c>DIR/pki</c>, as the gateway uses it). <c>--cert FILE</c> (PFX, or
/// PEM/DER with <c>--key FILE</c>) uses the administrator's certificate the gateway's <c>EdgeOps:OpcUa:Certificate</c>
/// names, its password read from <c>EDGEOPS_OPCUA_CERT_PASSWORD</c> (or the variable <c>--cert-password-env</c> names).
/// </summary>
internal sealed class OpcUaCliArguments
{
    /// <summary>The security options every verb that opens a session takes, for its usage line.</summary>
    public const string SecurityUsage = "[--security None|Sign|SignAndEncrypt] [--policy <name>] [--data <dir>] [--cert <file> [--key <file>]] [--no-host-check]";

    private readonly Dictionary<string, string> _options = new(StringComparer.Ordinal);

    private OpcUaCliArguments()
    {
    }

    public string Endpoint { get; private set; } = string.Empty;

    public List<string> Positional { get; } = [];

    public static OpcUaCliArguments? Parse(IReadOnlyList<string> arguments, TextWriter error, string usage)
    {
        var parsed = new OpcUaCliArguments();
        for (var i = 0; i < arguments.Count; i++)
        {
            if (arguments[i] is "--yes" or "--allow-plaintext-password" or "--no-host-check")
            {
                parsed._options[arguments[i][2..]] = "true";
            }
            else if (arguments[i].StartsWith("--", StringComparison.Ordinal))
            {
                if (i + 1 >= arguments.Count)
                {
                    error.WriteLine($"option {arguments[i]} needs a value. usage: edgeops {usage}");
                    return null;
                }

                parsed._options[arguments[i][2..]] = arguments[++i];
            }
            else
            {
                parsed.Positional.Add(arguments[i]);
            }
        }

        if (parsed.Positional.Count == 0)
        {
            error.WriteLine("usage: edgeops " + usage);
            return null;
        }

        parsed.Endpoint = parsed.Positional[0];
        parsed.Positional.RemoveAt(0);
        return parsed;
    }

    public string? Option(string name) => _options.GetValueOrDefault(name);

    public int IntOption(string name, int fallback) =>
        _options.TryGetValue(name, out var text) && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : fallback;

    public NodeId NodeOption(string name, NodeId fallback) => _options.TryGetValue(name, out var text) ? NodeId.Parse(text) : fallback;

    public bool Flag(string name) => _options.ContainsKey(name);

    /// <summary>The certificate store: <c>--data DIR</c>/pki, else /var/lib/edgeops/pki when that exists, else ./data/pki (the gateway's default).</summary>
    public PkiStore Pki()
    {
        var data = Option("data") ?? (Directory.Exists("/var/lib/edgeops") ? "/var/lib/edgeops" : "data");
        return new PkiStore(System.IO.Path.Combine(data, "pki"));
    }

    /// <summary>The application certificate: <c>--cert</c>/<c>--key</c> when given (as the gateway's EdgeOps:OpcUa:Certificate), else the store's own.</summary>
    public ApplicationCertificate Certificate(PkiStore pki)
    {
        if (Option("cert") is not { } certificate)
        {
            return Option("key") is null
                ? ApplicationCertificate.LoadOrCreate(pki, TimeSpan.FromDays(5 * 365))
                : throw new FormatException("--key needs --cert (the certificate the key belongs to).");
        }

        var password = Environment.GetEnvironmentVariable(Option("cert-password-env") ?? "EDGEOPS_OPCUA_CERT_PASSWORD");
        return ApplicationCertificate.Load(certificate, Option("key"), string.IsNullOrEmpty(password) ? null : password);
    }

    public async Task<OpcUaClient> ConnectAsync(CancellationToken cancellationToken)
    {
        var user = Option("user");
        MessageSecurity? mode = null;
        if (Option("security") is { } securityText)
        {
            mode = Enum.TryParse<MessageSecurity>(securityText, ignoreCase: true, out var parsedMode) && Enum.IsDefined(parsedMode)
                ? parsedMode
                : throw new FormatException($"--security '{securityText}' is not one of None, Sign, SignAndEncrypt.");
        }

        var pki = Pki();
        var client = new OpcUaClient(new OpcUaClientOptions
        {
            EndpointUrl = Endpoint,
            UserName = user,
            Password = user is null ? null : Environment.GetEnvironmentVariable(Option("password-env") ?? "EDGEOPS_OPCUA_PASSWORD"),
            SessionName = "edgeops cli",
            SecurityMode = mode,
            SecurityPolicy = Option("policy"),
            Pki = pki,
            Certificate = Certificate(pki),
            AllowPlaintextPassword = Flag("allow-plaintext-password"),
            CheckServerHostName = !Flag("no-host-check"),
        });
        try
        {
            await client.ConnectAsync(cancellationToken);
            return client;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs a verb body, turning OPC UA failures into one clear line and exit code 1.</summary>
    public static async Task<int> GuardAsync(TextWriter error, Func<Task<int>> body)
    {
        try
        {
            return await body();
        }
        catch (OpcUaException ex)
        {
            error.WriteLine("error: " + ex.Message);
            return 1;
        }
        catch (FormatException ex)
        {
            error.WriteLine("error: " + ex.Message);
            return 2;
        }
    }

    /// <summary>Names of the standard data types (namespace 0), for listings.</summary>
    public static string DataTypeName(NodeId? dataType) => dataType is { NamespaceIndex: 0, IdType: NodeIdType.Numeric } && dataType.Numeric is > 0 and <= 25
        ? ((BuiltInType)dataType.Numeric).ToString()
        : dataType?.ToString() ?? "?";
}
