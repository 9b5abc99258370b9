using System.CommandLine;
using EdgeOps.Gateway.Hosting;

namespace EdgeOps.Gateway.Cli;

/// <summary>
/// <c>edgeops run [--config line.yaml] [--record file] [--data dir] [--EdgeOps:Key=value]...</c>: runs the gateway, as
/// <c>edgeops</c> with no command does. The only verb that starts it.
/// </summary>
internal sealed class RunCommand : CliCommand
{
    private readonly SettingsOverride _service = new();

    public override IReadOnlyList<string> Path { get; } = ["run"];

    public override string Description =>
        "run the gateway (the default with no command); settings may be overridden as --EdgeOps:Section:Key=value";

    public override bool AcceptsSettingsOverrides(ParseResult parsed) => true;

    /// <summary>The service's options on the root command too, so <c>edgeops --config x</c> runs as before.</summary>
    public static void AddServiceOptions(Command root) => new SettingsOverride().AddTo(root);

    /// <summary>Runs the gateway with the options and overrides of <paramref name="parsed"/> (from <c>run</c> or the root).</summary>
    public static Task<int> RunGatewayAsync(ParseResult parsed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        return GatewayHost.RunAsync(HostArguments(parsed), cancellationToken);
    }

    protected override void Define(Command command) => _service.AddTo(command);

    protected override Task<int> ExecuteAsync(ParseResult parsed, TextWriter output, TextWriter error, CancellationToken cancellationToken) =>
        RunGatewayAsync(parsed, cancellationToken);

    /// <summary>
    /// The words after the verb as the host's configuration reads them (<c>--config</c>, <c>--record</c> and
    /// <c>--data</c> are its switches): everything but the verb itself, in order.
    /// </summary>
    private static string[] HostArguments(ParseResult parsed) =>
        [.. parsed.Tokens.Where(t => t.Type is System.CommandLine.Parsing.TokenType.Option or System.CommandLine.Parsing.TokenType.Argument).Select(t => t.Value)];
}
