using System.CommandLine;
using System.CommandLine.Parsing;
using EdgeOps.Gateway.Configuration;
using EdgeOps.Gateway.Hosting;

namespace EdgeOps.Gateway.Cli;

/// <summary>
/// <c>edgeops run [--config line.yaml] [--record file] [--data dir] [--EdgeOps:Key=value]...</c>: runs the gateway, as
/// <c>edgeops</c> with no command does. The only verb that starts it. With <c>--once</c>, a dry run instead
/// (<see cref="RunOnce"/>): read every source once, print, exit.
/// </summary>
internal sealed class RunCommand : CliCommand
{
    private readonly SettingsOverride _service = new();

    private readonly Option<bool> _once = new("--once")
    {
        Description = "dry run for commissioning: read every configured source once, print the signals and the MQTT messages the "
            + "gateway would publish, and exit (0, or 1 naming each source that could not be read); no broker needed",
    };

    private readonly Option<string> _timeout = new("--timeout")
    {
        Description = "with --once: how long to wait for every signal's first value (default 10s)",
        HelpName = "duration",
    };

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
        return GatewayHost.RunAsync(HostArguments(parsed, new HashSet<Token>()), cancellationToken);
    }

    protected override void Define(Command command)
    {
        _service.AddTo(command);
        command.Add(_once);
        command.Add(_timeout);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parsed, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var timeoutText = parsed.GetValue(_timeout);
        if (!parsed.GetValue(_once))
        {
            if (timeoutText is not null)
            {
                await error.WriteLineAsync("edgeops run: --timeout applies to --once only. Run 'edgeops run --help' for usage.").ConfigureAwait(false);
                return CliInvocation.UsageError;
            }

            return await RunGatewayAsync(parsed, cancellationToken).ConfigureAwait(false);
        }

        var timeout = TimeSpan.FromSeconds(10);
        if (timeoutText is not null && (!Durations.TryParse(timeoutText, out timeout) || timeout <= TimeSpan.Zero))
        {
            await error.WriteLineAsync($"edgeops run: --timeout '{timeoutText}': expected {Durations.Expected}").ConfigureAwait(false);
            return CliInvocation.UsageError;
        }

        var ours = new[] { parsed.GetResult(_once), parsed.GetResult(_timeout) }.OfType<OptionResult>().ToList();
        var skip = ours.Select(r => r.IdentifierToken).Concat(ours.SelectMany(r => r.Tokens)).OfType<Token>().ToHashSet();
        return await RunOnce.RunAsync(HostArguments(parsed, skip), timeout, output, error, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The words after the verb as the host's configuration reads them (<c>--config</c>, <c>--record</c> and
    /// <c>--data</c> are its switches): everything but the verb itself and <paramref name="skip"/>, in order.
    /// </summary>
    private static string[] HostArguments(ParseResult parsed, IReadOnlySet<Token> skip) =>
        [.. parsed.Tokens.Where(t => t.Type is TokenType.Option or TokenType.Argument && !skip.Contains(t)).Select(t => t.Value)];
}
