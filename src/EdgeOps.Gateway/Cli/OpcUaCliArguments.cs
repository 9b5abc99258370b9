using System.Globalization;
using EdgeOps.OpcUa;
using EdgeOps.OpcUa.Client;
using EdgeOps.OpcUa.Types;

namespace EdgeOps.Gateway.Cli;

/// <summary>
/// Arguments shared by the <c>edgeops opcua</c> verbs: an endpoint URL, positional words, and <c>--name value</c>
/// options. Credentials: <c>--user NAME</c> with the password in the environment variable named by
/// <c>--password-env</c> (default EDGEOPS_OPCUA_PASSWORD), never on the command line.
/// </summary>
internal sealed class OpcUaCliArguments
{
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
            if (arguments[i].StartsWith("--", StringComparison.Ordinal))
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

    public async Task<OpcUaClient> ConnectAsync(CancellationToken cancellationToken)
    {
        var user = Option("user");
        var client = new OpcUaClient(new OpcUaClientOptions
        {
            EndpointUrl = Endpoint,
            UserName = user,
            Password = user is null ? null : Environment.GetEnvironmentVariable(Option("password-env") ?? "EDGEOPS_OPCUA_PASSWORD"),
            SessionName = "edgeops cli",
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
