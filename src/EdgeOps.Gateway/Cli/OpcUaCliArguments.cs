using System.CommandLine;
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
    private readonly CliValues _options;

    private OpcUaCliArguments(CliValues options, string endpoint, IReadOnlyList<string> positional)
    {
        _options = options;
        Endpoint = endpoint;
        Positional = [.. positional];
    }

    public string Endpoint { get; }

    public List<string> Positional { get; }

    /// <summary>The endpoint argument every <c>opcua</c> verb starts with.</summary>
    public static Argument<string> EndpointArgument() => new("endpoint") { Description = "the server's opc.tcp://host:port[/path] URL", HelpName = "opc.tcp://..." };

    /// <summary>The node ids after the endpoint (<c>opcua read</c>, <c>opcua watch</c>).</summary>
    public static Argument<string[]> NodesArgument() => new("node") { Description = "node ids, e.g. ns=2;s=Line1.Count", Arity = ArgumentArity.OneOrMore };

    /// <summary>The connection options every <c>opcua</c> verb takes; the verb adds its own.</summary>
    public static CliOptions Options() => new CliOptions()
        .Text("user", "name", "user name; the password comes from the environment variable named by --password-env")
        .Text("password-env", "variable", "environment variable holding the password (default EDGEOPS_OPCUA_PASSWORD)")
        .Text("security", "mode", "None, Sign or SignAndEncrypt (default: the most secure the server offers)")
        .Text("policy", "name", "security policy, e.g. Basic256Sha256 (default: the most secure offered)")
        .Text("data", "dir", "the gateway's data directory; certificates are in <dir>/pki (default /var/lib/edgeops, else ./data)")
        .Flag("allow-plaintext-password", "send the password over a channel without encryption (refused otherwise)")
        .Flag("no-host-check", "accept a server certificate that does not name the host")
        .Text("cert", "file", "our application certificate: a PFX, or a PEM/DER certificate with --key (as the gateway's EdgeOps:OpcUa:Certificate; default: the one in <dir>/pki/own)")
        .Text("key", "file", "the PEM private key of a PEM/DER --cert")
        .Text("cert-password-env", "variable", "environment variable holding the PFX or key password (default EDGEOPS_OPCUA_CERT_PASSWORD)");

    /// <summary>The parsed values of a verb that declared <see cref="Options"/>.</summary>
    public static OpcUaCliArguments From(CliValues options, string endpoint, IReadOnlyList<string>? positional = null) =>
        new(options, endpoint, positional ?? []);

    public string? Option(string name) => _options.Get(name);

    /// <summary>A whole-number option; a value that is not one is an error naming the option (exit code 2).</summary>
    public int IntOption(string name, int fallback) => Option(name) is not { } text
        ? fallback
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException($"--{name} '{text}' must be a whole number");

    public NodeId NodeOption(string name, NodeId fallback) => Option(name) is { } text ? NodeId.Parse(text) : fallback;

    public bool Flag(string name) => _options.Flag(name);

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
