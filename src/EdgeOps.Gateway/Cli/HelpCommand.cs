using System.CommandLine;

namespace EdgeOps.Gateway.Cli;

/// <summary><c>edgeops help [command...]</c>: the same text as <c>edgeops [command...] --help</c>.</summary>
internal sealed class HelpCommand : CliCommand
{
    private readonly Argument<string[]> _words = new("command") { Description = "the command to describe, e.g. 'opcua browse'", Arity = ArgumentArity.ZeroOrMore };

    public override IReadOnlyList<string> Path { get; } = ["help"];

    public override string Description => "this list, or the help of a command";

    protected override void Define(Command command) => command.Add(_words);

    protected override Task<int> ExecuteAsync(ParseResult parsed, TextWriter output, TextWriter error, CancellationToken cancellationToken) =>
        CliApplication.RunAsync([.. parsed.GetValue(_words) ?? [], "--help"], output, error, cancellationToken);
}
