using System.CommandLine;
using EdgeOps.Gateway.Hosting;

namespace EdgeOps.Gateway.Cli;

/// <summary>
/// The service's own command line: <c>--config</c>, <c>--record</c>, <c>--data</c> and settings overrides in
/// Microsoft.Extensions.Configuration's form (<c>--EdgeOps:Mqtt:Broker=mqtt://host</c>), as <c>edgeops</c>,
/// <c>edgeops run</c> and <c>edgeops validate --settings</c> take them.
/// </summary>
internal sealed class ServiceOptions
{
    /// <summary>Host settings ASP.NET Core reads from the command line without a section.</summary>
    private static readonly string[] HostKeys = ["urls", "environment", "contentRoot", "applicationName"];

    public Option<string> Config { get; } = new("--config") { Description = "line file (EdgeOps:Line)", HelpName = "line.yaml" };

    public Option<string> Record { get; } = new("--record") { Description = "record every signal to this JSON-lines file for 'edgeops replay' (EdgeOps:Record)", HelpName = "file" };

    public Option<string> Data { get; } = new("--data") { Description = "data directory: outbox, checkpoints, certificates (EdgeOps:DataDirectory)", HelpName = "dir" };

    /// <summary>True for <c>--Section:Key[=value]</c> (or <c>/Section:Key</c>) and the host's own keys.</summary>
    public static bool IsSettingsOverride(string word)
    {
        var key = word.StartsWith("--", StringComparison.Ordinal) ? word[2..] : word.StartsWith('/') ? word[1..] : null;
        if (string.IsNullOrEmpty(key))
        {
            return false;
        }

        key = key.Split('=', 2)[0];
        return (key.Contains(':', StringComparison.Ordinal) && !key.StartsWith(':') && !key.EndsWith(':'))
            || HostKeys.Contains(key, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>
    /// The settings exactly as the service reads them with <paramref name="hostArguments"/>: the same sources in the same
    /// order (<see cref="GatewayHost.AddSettingsSources"/>), the same checks (<see cref="GatewaySettings.Check"/>), and the
    /// line file they name; every problem of both, for <c>validate --settings</c> and <c>run --once</c>.
    /// </summary>
    public static (IConfiguration Configuration, LineFile? Line, IReadOnlyList<string> Problems) Read(string[] hostArguments)
    {
        var builder = GatewayHost.CreateWebBuilder(hostArguments);
        GatewayHost.AddSettingsSources(builder.Configuration, hostArguments);
        var (file, lineErrors) = GatewaySettings.LoadLine(builder.Configuration);
        var problems = new List<string>(GatewaySettings.Check(builder.Configuration, file?.Definition, Environment.GetEnvironmentVariable));
        problems.AddRange(lineErrors);
        return (builder.Configuration, file, problems);
    }

    public void AddTo(Command command)
    {
        command.Add(Config);
        command.Add(Record);
        command.Add(Data);
    }
}
